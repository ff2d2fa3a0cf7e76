import { z } from 'zod';
import {
  BannedWordsBodySchema,
  CreateRoomBodySchema,
  IdSchema,
  ModeratorBodySchema,
  PublicUserSchema,
  RoomIdParamsSchema,
  RoomListQuerySchema,
  RoomSchema,
  UpdateRoomBodySchema,
} from '@farmlive/shared';
import { requireRole, requireUser } from '../auth/guards';
import type { HttpApp } from '../platform/http';
import type { RoomsService } from './rooms.service';

const BannedWordsSchema = z.object({ words: z.array(z.string()) });

export function registerRoomRoutes(app: HttpApp, deps: { rooms: RoomsService }): void {
  const { rooms } = deps;
  const tags = ['rooms'];
  const params = RoomIdParamsSchema;

  app.get('/api/rooms', { schema: { tags, querystring: RoomListQuerySchema, response: { 200: z.array(RoomSchema) } } }, (req) =>
    rooms.list(req.query.status ?? 'upcoming', req.query.limit),
  );

  app.get('/api/rooms/mine', { schema: { tags, response: { 200: z.array(RoomSchema) } } }, (req) =>
    rooms.byHost(requireRole(req, 'host').id),
  );

  app.get('/api/rooms/:id', { schema: { tags, params, response: { 200: RoomSchema } } }, (req) => rooms.get(req.params.id));

  app.post('/api/rooms', { schema: { tags, body: CreateRoomBodySchema, response: { 201: RoomSchema } } }, async (req, reply) => {
    const room = await rooms.create(requireRole(req, 'host'), req.body);
    return reply.status(201).send(room);
  });

  app.patch('/api/rooms/:id', { schema: { tags, params, body: UpdateRoomBodySchema, response: { 200: RoomSchema } } }, (req) =>
    rooms.update(requireUser(req), req.params.id, req.body),
  );

  app.post('/api/rooms/:id/open', { schema: { tags, params, response: { 200: RoomSchema } } }, (req) =>
    rooms.open(requireUser(req), req.params.id),
  );

  app.post('/api/rooms/:id/close', { schema: { tags, params, response: { 200: RoomSchema } } }, (req) =>
    rooms.close(requireUser(req), req.params.id),
  );

  app.get('/api/rooms/:id/banned-words', { schema: { tags, params, response: { 200: BannedWordsSchema } } }, async (req) => {
    await rooms.assertCanModerate(requireUser(req), await rooms.get(req.params.id));
    return { words: await rooms.bannedWords(req.params.id) };
  });

  app.put('/api/rooms/:id/banned-words', { schema: { tags, params, body: BannedWordsBodySchema, response: { 200: BannedWordsSchema } } }, async (req) => ({
    words: await rooms.setBannedWords(requireUser(req), req.params.id, req.body.words),
  }));

  app.get('/api/rooms/:id/moderators', { schema: { tags, params, response: { 200: z.array(PublicUserSchema) } } }, (req) =>
    rooms.moderators(requireUser(req), req.params.id),
  );

  app.post('/api/rooms/:id/moderators', { schema: { tags, params, body: ModeratorBodySchema, response: { 204: z.null() } } }, async (req, reply) => {
    await rooms.addModerator(requireUser(req), req.params.id, req.body.userId);
    return reply.status(204).send(null);
  });

  app.delete(
    '/api/rooms/:id/moderators/:userId',
    { schema: { tags, params: z.strictObject({ id: IdSchema, userId: IdSchema }), response: { 204: z.null() } } },
    async (req, reply) => {
      await rooms.removeModerator(requireUser(req), req.params.id, req.params.userId);
      return reply.status(204).send(null);
    },
  );
}
