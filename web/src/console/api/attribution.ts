import { AccountFiguresListSchema, StoryFiguresListSchema, StoryFiguresSchema } from '@farmlive/shared';
import { request } from '../../api/client';

const enc = encodeURIComponent;
type Range = { from?: string; to?: string };

/** Visits, orders and revenue credited through attribution links, per account and per story. */
export const attributionApi = {
  accounts: (r: Range = {}) => request('GET', '/api/attribution/accounts', { query: { ...r }, schema: AccountFiguresListSchema }),
  stories: (r: Range = {}) => request('GET', '/api/attribution/stories', { query: { ...r }, schema: StoryFiguresListSchema }),
  story: (id: string, r: Range = {}) => request('GET', `/api/attribution/stories/${enc(id)}`, { query: { ...r }, schema: StoryFiguresSchema }),
};
