import { z } from 'zod';
import {
  AccountBoardSchema,
  AccountDetailSchema,
  AccountGroupBodySchema,
  AccountGroupMembersBodySchema,
  AccountGroupMembersPatchSchema,
  AccountGroupSchema,
  AccountIdParamsSchema,
  AccountListQuerySchema,
  AccountOptionsSchema,
  CreateAccountBodySchema,
  SetAccountEnabledBodySchema,
  UpdateAccountBodySchema,
  WeiboAuthorizeBodySchema,
  WeiboAuthorizeResultSchema,
  WeiboCallbackQuerySchema,
} from '@farmlive/shared';
import { requireRole } from '../auth/guards';
import { AppError } from '../platform/errors';
import type { HttpApp } from '../platform/http';
import type { AccountsService } from './accounts.service';
import type { GroupsService } from './groups';
import { weiboRedirectUri, type WeiboConnect } from './weibo-connect';

/** Where the browser lands after Weibo: the console's accounts page. */
export const ACCOUNTS_PAGE = '/console/accounts';

/** What the server is set up to connect (from configuration; no secret in it). */
export interface AccountOptionsSource {
  credentialsKeySet: boolean;
  weiboConfigured: boolean;
}

export function registerAccountRoutes(
  app: HttpApp,
  deps: { accounts: AccountsService; groups: GroupsService; weibo: WeiboConnect; publicUrl: string; options: AccountOptionsSource },
): void {
  const { accounts, groups, weibo } = deps;
  const tags = ['accounts'];
  const params = AccountIdParamsSchema;
  // Officials run the accounts; an admin holds every role.
  const official = (req: Parameters<typeof requireRole>[0]) => requireRole(req, 'official');

  app.get('/api/accounts', { schema: { tags, querystring: AccountListQuerySchema, response: { 200: AccountBoardSchema } } }, (req) => {
    official(req);
    return accounts.board(req.query);
  });

  app.get('/api/accounts/options', { schema: { tags, response: { 200: AccountOptionsSchema } } }, (req) => {
    official(req);
    return { ...deps.options, weiboRedirectUri: weiboRedirectUri(deps.publicUrl) };
  });

  app.post('/api/accounts', { schema: { tags, body: CreateAccountBodySchema, response: { 201: AccountDetailSchema } } }, async (req, reply) => {
    const created = await accounts.create(official(req), req.body);
    return reply.status(201).send(created);
  });

  app.get('/api/accounts/:id', { schema: { tags, params, response: { 200: AccountDetailSchema } } }, (req) => {
    official(req);
    return accounts.detail(req.params.id);
  });

  app.patch('/api/accounts/:id', { schema: { tags, params, body: UpdateAccountBodySchema, response: { 200: AccountDetailSchema } } }, (req) => {
    official(req);
    return accounts.update(req.params.id, req.body);
  });

  app.delete('/api/accounts/:id', { schema: { tags, params, response: { 204: z.null() } } }, async (req, reply) => {
    official(req);
    await accounts.archive(req.params.id);
    return reply.status(204).send(null);
  });

  app.post('/api/accounts/:id/check', { schema: { tags, params, response: { 200: AccountDetailSchema } } }, (req) => {
    official(req);
    return accounts.check(req.params.id);
  });

  app.put('/api/accounts/:id/enabled', { schema: { tags, params, body: SetAccountEnabledBodySchema, response: { 200: AccountDetailSchema } } }, (req) =>
    accounts.setEnabled(official(req), req.params.id, req.body.enabled),
  );

  app.post('/api/accounts/weibo/authorize', { schema: { tags, body: WeiboAuthorizeBodySchema, response: { 200: WeiboAuthorizeResultSchema } } }, (req) =>
    weibo.start(official(req), req.body),
  );

  // The browser arrives here from Weibo: answer with a redirect to the console, success or not.
  app.get('/api/accounts/weibo/callback', { schema: { tags, querystring: WeiboCallbackQuerySchema } }, async (req, reply) => {
    const page = `${deps.publicUrl}${ACCOUNTS_PAGE}`;
    try {
      const user = req.user && (req.user.roles.includes('official') || req.user.roles.includes('admin')) ? req.user : null;
      const id = await weibo.finish(user, req.query, req.ip);
      return reply.redirect(`${page}?connected=${id}`, 302);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return reply.redirect(`${page}?error=${err.code}`, 302);
    }
  });

  const groupParams = z.strictObject({ id: z.uuid() });
  app.get('/api/account-groups', { schema: { tags, response: { 200: z.array(AccountGroupSchema) } } }, (req) => {
    official(req);
    return groups.list();
  });
  app.post('/api/account-groups', { schema: { tags, body: AccountGroupBodySchema, response: { 201: AccountGroupSchema } } }, async (req, reply) => {
    official(req);
    return reply.status(201).send(await groups.create(req.body.name));
  });
  app.patch('/api/account-groups/:id', { schema: { tags, params: groupParams, body: AccountGroupBodySchema, response: { 200: AccountGroupSchema } } }, (req) => {
    official(req);
    return groups.rename(req.params.id, req.body.name);
  });
  app.delete('/api/account-groups/:id', { schema: { tags, params: groupParams, response: { 204: z.null() } } }, async (req, reply) => {
    official(req);
    await groups.remove(req.params.id);
    return reply.status(204).send(null);
  });
  app.put('/api/account-groups/:id/accounts', { schema: { tags, params: groupParams, body: AccountGroupMembersBodySchema, response: { 200: AccountGroupSchema } } }, (req) => {
    official(req);
    return groups.setMembers(req.params.id, req.body.accountIds);
  });
  app.patch('/api/account-groups/:id/accounts', { schema: { tags, params: groupParams, body: AccountGroupMembersPatchSchema, response: { 200: AccountGroupSchema } } }, (req) => {
    official(req);
    return groups.changeMembers(req.params.id, req.body);
  });
}
