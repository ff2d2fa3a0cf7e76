import {
  PublicationBoardSchema,
  PublicationDetailSchema,
  PublicationIdParamsSchema,
  PublicationListQuerySchema,
  PublicationSchema,
  ScheduleRequestSchema,
  ScheduleResultSchema,
  StoryIdParamsSchema,
} from '@farmlive/shared';
import { official, reader } from '../stories/stories.routes';
import type { HttpApp } from '../platform/http';
import type { PublishingService } from './publishing.service';

/** Scheduling and the publication board (routes listed at the top of shared/src/stories.ts). */
export function registerPublishingRoutes(app: HttpApp, deps: { publishing: PublishingService }): void {
  const { publishing } = deps;
  const tags = ['publishing'];
  const params = PublicationIdParamsSchema;

  app.post('/api/stories/:id/schedule', { schema: { tags, params: StoryIdParamsSchema, body: ScheduleRequestSchema, response: { 200: ScheduleResultSchema, 201: ScheduleResultSchema } } }, async (req, reply) => {
    const result = await publishing.schedule(official(req), req.params.id, req.body);
    return reply.status(result.dryRun ? 200 : 201).send(result);
  });

  app.get('/api/publications', { schema: { tags, querystring: PublicationListQuerySchema, response: { 200: PublicationBoardSchema } } }, (req) => {
    reader(req);
    return publishing.list(req.query);
  });

  app.get('/api/publications/:id', { schema: { tags, params, response: { 200: PublicationDetailSchema } } }, (req) => {
    reader(req);
    return publishing.get(req.params.id);
  });

  app.post('/api/publications/:id/retry', { schema: { tags, params, response: { 200: PublicationSchema } } }, (req) => publishing.retry(official(req), req.params.id));
  app.post('/api/publications/:id/cancel', { schema: { tags, params, response: { 200: PublicationSchema } } }, (req) => publishing.cancel(official(req), req.params.id));
}
