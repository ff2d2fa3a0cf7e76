import { z } from 'zod';
import {
  StoryIdParamsSchema,
  StoryInputSchema,
  StoryListQuerySchema,
  StoryListSchema,
  StoryPatchSchema,
  StoryPreviewSchema,
  StoryReviewBodySchema,
  StorySchema,
} from '@farmlive/shared';
import { requireRole } from '../auth/guards';
import type { HttpApp } from '../platform/http';
import type { StoriesService } from './stories.service';

type Req = Parameters<typeof requireRole>[0];
/** Officials write stories; reviewers read them to review; an admin holds every role. */
export const official = (req: Req) => requireRole(req, 'official');
export const reader = (req: Req) => requireRole(req, 'official', 'reviewer');
const reviewer = (req: Req) => requireRole(req, 'reviewer');

/** The routes listed at the top of shared/src/stories.ts (stories and review). */
export function registerStoryRoutes(app: HttpApp, deps: { stories: StoriesService }): void {
  const { stories } = deps;
  const tags = ['stories'];
  const params = StoryIdParamsSchema;

  app.get('/api/stories', { schema: { tags, querystring: StoryListQuerySchema, response: { 200: StoryListSchema } } }, async (req) => ({
    stories: await stories.list(reader(req), req.query),
  }));

  app.post('/api/stories', { schema: { tags, body: StoryInputSchema, response: { 201: StorySchema } } }, async (req, reply) =>
    reply.status(201).send(await stories.create(official(req), req.body)),
  );

  app.post('/api/stories/preview', { schema: { tags, body: StoryInputSchema, response: { 200: StoryPreviewSchema } } }, (req) => {
    official(req);
    return stories.previewDraft(req.body);
  });

  app.get('/api/stories/:id', { schema: { tags, params, response: { 200: StorySchema } } }, (req) => {
    reader(req);
    return stories.get(req.params.id);
  });

  app.patch('/api/stories/:id', { schema: { tags, params, body: StoryPatchSchema, response: { 200: StorySchema } } }, (req) =>
    stories.update(official(req), req.params.id, req.body),
  );

  app.delete('/api/stories/:id', { schema: { tags, params, response: { 204: z.null() } } }, async (req, reply) => {
    await stories.remove(official(req), req.params.id);
    return reply.status(204).send(null);
  });

  app.get('/api/stories/:id/preview', { schema: { tags, params, response: { 200: StoryPreviewSchema } } }, (req) => {
    reader(req);
    return stories.preview(req.params.id);
  });

  app.post('/api/stories/:id/submit', { schema: { tags, params, response: { 200: StorySchema } } }, (req) => stories.submit(official(req), req.params.id));
  app.post('/api/stories/:id/withdraw', { schema: { tags, params, response: { 200: StorySchema } } }, (req) => stories.withdraw(official(req), req.params.id));
  app.post('/api/stories/:id/review', { schema: { tags, params, body: StoryReviewBodySchema, response: { 200: StorySchema } } }, (req) =>
    stories.review(reviewer(req), req.params.id, req.body),
  );
}
