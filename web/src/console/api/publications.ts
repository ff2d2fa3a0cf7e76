import { PublicationBoardSchema, PublicationDetailSchema, PublicationSchema, ScheduleResultSchema, type PublicationStatus, type ScheduleRequest } from '@farmlive/shared';
import { request } from '../../api/client';

const enc = encodeURIComponent;

export interface PublicationQuery {
  storyId?: string;
  accountId?: string;
  status?: PublicationStatus;
  from?: string;
  to?: string;
  limit?: number;
  after?: string;
}

/** Scheduling and the publication board (routes listed at the top of `shared/src/stories.ts`). */
export const publicationsApi = {
  /** `dryRun` works the times out without creating anything. */
  schedule: (storyId: string, body: ScheduleRequest) => request('POST', `/api/stories/${enc(storyId)}/schedule`, { body, schema: ScheduleResultSchema }),
  list: (q: PublicationQuery = {}) => request('GET', '/api/publications', { query: { ...q }, schema: PublicationBoardSchema }),
  get: (id: string) => request('GET', `/api/publications/${enc(id)}`, { schema: PublicationDetailSchema }),
  retry: (id: string) => request('POST', `/api/publications/${enc(id)}/retry`, { schema: PublicationSchema }),
  cancel: (id: string) => request('POST', `/api/publications/${enc(id)}/cancel`, { schema: PublicationSchema }),
};
