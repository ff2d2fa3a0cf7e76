import { z } from 'zod';
import {
  AuthOptionsSchema,
  IdSchema,
  RequestCodeBodySchema,
  RequestCodeResultSchema,
  SetRolesBodySchema,
  SignInResultSchema,
  UpdateMeBodySchema,
  UserSchema,
  VerifyCodeBodySchema,
} from '@farmlive/shared';
import type { Config } from '../config';
import type { HttpApp } from '../platform/http';
import type { AuthService } from './auth.service';
import { SESSION_COOKIE, requireRole, requireUser, tokenFrom } from './guards';

export function registerAuthHooks(app: HttpApp, auth: AuthService): void {
  app.decorateRequest('user', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (req) => {
    const token = tokenFrom(req.headers.authorization, req.cookies);
    if (!token) return;
    req.user = await auth.userForToken(token);
    req.sessionToken = req.user ? token : null;
  });
}

export function registerAuthRoutes(app: HttpApp, deps: { auth: AuthService; config: Config }): void {
  const { auth, config } = deps;
  const tags = ['auth'];

  app.get('/api/auth/options', { schema: { tags, response: { 200: AuthOptionsSchema } } }, () => ({
    codeDelivery: config.sms.webhookUrl ? ('sms' as const) : ('log' as const),
    demo: config.demo,
  }));

  app.post('/api/auth/code', { schema: { tags, body: RequestCodeBodySchema, response: { 200: RequestCodeResultSchema } } }, (req) =>
    auth.requestCode(req.body.phone, req.ip),
  );

  app.post('/api/auth/verify', { schema: { tags, body: VerifyCodeBodySchema, response: { 200: SignInResultSchema } } }, async (req, reply) => {
    const result = await auth.verifyCode(req.body.phone, req.body.code);
    reply.setCookie(SESSION_COOKIE, result.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.http.secureCookies,
      maxAge: config.auth.sessionDays * 86_400,
    });
    return result;
  });

  app.post('/api/auth/sign-out', { schema: { tags, response: { 204: z.null() } } }, async (req, reply) => {
    if (req.sessionToken) await auth.signOut(req.sessionToken);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/api/me', { schema: { tags, response: { 200: UserSchema } } }, (req) => requireUser(req));

  app.patch('/api/me', { schema: { tags, body: UpdateMeBodySchema, response: { 200: UserSchema } } }, (req) =>
    auth.updateMe(requireUser(req).id, req.body),
  );

  app.put(
    '/api/admin/users/:id/roles',
    { schema: { tags, params: z.strictObject({ id: IdSchema }), body: SetRolesBodySchema, response: { 200: UserSchema } } },
    (req) => {
      requireRole(req, 'admin');
      return auth.setRoles(req.params.id, req.body.roles);
    },
  );
}
