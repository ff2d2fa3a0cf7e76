import {
  AccountBoardSchema,
  AccountDetailSchema,
  AccountGroupSchema,
  AccountOptionsSchema,
  SandboxPostSchema,
  WeiboAuthorizeResultSchema,
  type AccountGroupMembersPatch,
  type CreateAccountBody,
  type UpdateAccountBody,
} from '@farmlive/shared';
import { z } from 'zod';
import { request } from '../../api/client';

const enc = encodeURIComponent;

/** The accounts API (`server/src/accounts/accounts.routes.ts`), answers parsed with `shared/` schemas. */
export const accountsApi = {
  options: () => request('GET', '/api/accounts/options', { schema: AccountOptionsSchema }),
  board: () => request('GET', '/api/accounts', { schema: AccountBoardSchema }),
  detail: (id: string) => request('GET', `/api/accounts/${enc(id)}`, { schema: AccountDetailSchema }),
  create: (body: CreateAccountBody) => request('POST', '/api/accounts', { body, schema: AccountDetailSchema }),
  /** Fields left out stay; an empty secret is never sent, and the server ignores one anyway. */
  update: (id: string, body: UpdateAccountBody) => request('PATCH', `/api/accounts/${enc(id)}`, { body, schema: AccountDetailSchema }),
  archive: (id: string) => request('DELETE', `/api/accounts/${enc(id)}`, { schema: z.null() }),
  check: (id: string) => request('POST', `/api/accounts/${enc(id)}/check`, { schema: AccountDetailSchema }),
  setEnabled: (id: string, enabled: boolean) => request('PUT', `/api/accounts/${enc(id)}/enabled`, { body: { enabled }, schema: AccountDetailSchema }),
  /** Starts Weibo OAuth; the page then sends the browser to `url`. */
  weiboAuthorize: (body: { accountId?: string; name?: string; groupIds?: string[] }) =>
    request('POST', '/api/accounts/weibo/authorize', { body, schema: WeiboAuthorizeResultSchema }),
  /** What a sandbox account recorded instead of sending. */
  sandboxPosts: (accountId: string) => request('GET', '/api/sandbox/posts', { query: { accountId, limit: 20 }, schema: z.array(SandboxPostSchema) }),
};

export const groupsApi = {
  list: () => request('GET', '/api/account-groups', { schema: z.array(AccountGroupSchema) }),
  create: (name: string) => request('POST', '/api/account-groups', { body: { name }, schema: AccountGroupSchema }),
  rename: (id: string, name: string) => request('PATCH', `/api/account-groups/${enc(id)}`, { body: { name }, schema: AccountGroupSchema }),
  remove: (id: string) => request('DELETE', `/api/account-groups/${enc(id)}`, { schema: z.null() }),
  /** Adds and removes members, leaving the rest as they are. */
  changeMembers: (id: string, change: AccountGroupMembersPatch) => request('PATCH', `/api/account-groups/${enc(id)}/accounts`, { body: change, schema: AccountGroupSchema }),
};
