import { z } from 'zod';
import { IdSchema, SandboxPostSchema } from '@farmlive/shared';
import { requireRole } from '../../auth/guards';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import type { HttpApp } from '../../platform/http';
import { sandboxPreviewUrl } from './sandbox-channel';
import { PREVIEW_CSP } from './sandbox-preview';
import { createSandboxRepo } from './sandbox.repo';

/** What the sandbox recorded, for officials: the list per account and each post's preview page. */
export function registerSandboxRoutes(app: HttpApp, deps: { db: Db; publicUrl: string }): void {
  const repo = createSandboxRepo(deps.db);
  const tags = ['channels'];

  app.get(
    '/api/sandbox/posts',
    { schema: { tags, querystring: z.strictObject({ accountId: IdSchema, limit: z.coerce.number().int().min(1).max(200).default(50) }), response: { 200: z.array(SandboxPostSchema) } } },
    async (req) => {
      requireRole(req, 'official');
      const posts = await repo.list(req.query.accountId, req.query.limit);
      return posts.map((p) => ({
        id: p.id,
        accountId: p.account_id,
        platform: p.platform,
        variant: p.variant,
        previewUrl: sandboxPreviewUrl(deps.publicUrl, p.id),
        createdAt: p.created_at.toISOString(),
      }));
    },
  );

  // The editor's own HTML: served with a CSP sandbox, so no script in it can run.
  app.get('/api/sandbox/posts/:id/preview', { schema: { tags, params: z.strictObject({ id: IdSchema }) } }, async (req, reply) => {
    requireRole(req, 'official');
    const html = await repo.previewHtml(req.params.id);
    if (html === null) throw new AppError('SANDBOX_POST_NOT_FOUND');
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', PREVIEW_CSP)
      .header('x-content-type-options', 'nosniff')
      .send(html);
  });
}
