import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  AccountFiguresListSchema,
  AttributionTouchBodySchema,
  FiguresQuerySchema,
  LinkCodeParamsSchema,
  LinkCodeSchema,
  StoryFiguresListSchema,
  StoryFiguresSchema,
  StoryIdParamsSchema,
} from '@farmlive/shared';
import { requireRole, requireUser } from '../auth/guards';
import { AppError } from '../platform/errors';
import type { HttpApp } from '../platform/http';
import type { AttributionService } from './attribution.service';

/** A random id per browser, so that visits count people and a later sign-in claims them. */
export const VISITOR_COOKIE = 'fl_vid';
const VisitorSchema = z.string().regex(/^[A-Za-z0-9_-]{16,32}$/);

export function registerAttributionRoutes(app: HttpApp, deps: { attribution: AttributionService; secureCookies: boolean }): void {
  const { attribution } = deps;
  const tags = ['attribution'];
  const reader = (req: Parameters<typeof requireRole>[0]) => requireRole(req, 'official', 'reviewer');

  app.get('/s/:code', { schema: { tags, params: LinkCodeParamsSchema } }, async (req, reply) => {
    // A person who followed a mistyped or withdrawn link gets the app's "not found" page; a program gets the error code.
    const notFound = () => {
      if (!(req.headers.accept ?? '').includes('text/html')) throw new AppError('LINK_NOT_FOUND');
      return reply.callNotFound();
    };
    const code = LinkCodeSchema.safeParse(req.params.code.toLowerCase());
    if (!code.success) return notFound();
    const known = VisitorSchema.safeParse(req.cookies[VISITOR_COOKIE]);
    const visitor = known.success ? known.data : randomBytes(16).toString('base64url');
    const target = await attribution.visit(code.data, visitor, req.user?.id ?? null);
    if (!target) return notFound();
    if (!known.success) {
      reply.setCookie(VISITOR_COOKIE, visitor, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, maxAge: 365 * 24 * 3600 });
    }
    return reply.header('cache-control', 'no-store').redirect(target, 302);
  });

  app.post('/api/attribution/touch', { schema: { tags, body: AttributionTouchBodySchema, response: { 204: z.null() } } }, async (req, reply) => {
    const user = requireUser(req);
    const known = VisitorSchema.safeParse(req.cookies[VISITOR_COOKIE]);
    await attribution.touch(req.body.code, known.success ? known.data : null, user.id);
    return reply.status(204).send(null);
  });

  app.get('/api/attribution/stories', { schema: { tags, querystring: FiguresQuerySchema, response: { 200: StoryFiguresListSchema } } }, (req) => {
    reader(req);
    return attribution.stories(req.query);
  });

  app.get('/api/attribution/stories/:id', { schema: { tags, params: StoryIdParamsSchema, querystring: FiguresQuerySchema, response: { 200: StoryFiguresSchema } } }, (req) => {
    reader(req);
    return attribution.storyFigures(req.params.id, req.query);
  });

  app.get('/api/attribution/accounts', { schema: { tags, querystring: FiguresQuerySchema, response: { 200: AccountFiguresListSchema } } }, (req) => {
    reader(req);
    return attribution.accounts(req.query);
  });
}
