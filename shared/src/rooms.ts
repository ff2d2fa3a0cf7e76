import { z } from 'zod';
import { PublicUserSchema } from './auth';
import { ProductCardSchema } from './catalog';
import { IdSchema, InstantSchema, humanText } from './common';

export const RoomStatusSchema = z.enum(['scheduled', 'live', 'closed']);
export type RoomStatus = z.infer<typeof RoomStatusSchema>;

export const RoomSchema = z.object({
  id: IdSchema,
  title: z.string(),
  description: z.string(),
  status: RoomStatusSchema,
  host: PublicUserSchema,
  scheduledAt: InstantSchema.nullable(),
  openedAt: InstantSchema.nullable(),
  closedAt: InstantSchema.nullable(),
  productIds: z.array(IdSchema),
  pinnedProductId: IdSchema.nullable(),
  coverUrl: z.string().nullable(),
  likeCount: z.number().int(),
});
export type Room = z.infer<typeof RoomSchema>;

export const RoomListQuerySchema = z.strictObject({
  status: z.enum(['live', 'scheduled', 'upcoming', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const CreateRoomBodySchema = z.strictObject({
  title: humanText(60),
  description: humanText(500, 0).default(''),
  productIds: z.array(IdSchema).max(50).default([]),
  scheduledAt: InstantSchema.nullable().default(null),
});
export type CreateRoomBody = z.infer<typeof CreateRoomBodySchema>;

export const UpdateRoomBodySchema = z.strictObject({
  title: humanText(60).optional(),
  description: humanText(500, 0).optional(),
  productIds: z.array(IdSchema).max(50).optional(),
  scheduledAt: InstantSchema.nullable().optional(),
});
export type UpdateRoomBody = z.infer<typeof UpdateRoomBodySchema>;

export const RoomIdParamsSchema = z.strictObject({ id: IdSchema });

/** A per-room banned-word list; matching ignores case and full-width/half-width differences. */
export const BannedWordsBodySchema = z.strictObject({
  words: z.array(humanText(20)).max(200),
});

export const ModeratorBodySchema = z.strictObject({ userId: IdSchema });

export const CHAT_MAX_LENGTH = 200;

export const ChatMessageSchema = z.object({
  id: IdSchema,
  roomId: IdSchema,
  user: PublicUserSchema,
  text: z.string(),
  sentAt: InstantSchema,
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** What a client gets back when it joins a room: everything needed to draw the page. */
export const RoomJoinedSchema = z.object({
  room: RoomSchema,
  viewerCount: z.number().int(),
  pinned: ProductCardSchema.nullable(),
  history: z.array(ChatMessageSchema),
  /** The joining user may pin, remove messages, mute and remove people. */
  canModerate: z.boolean(),
  mutedUntil: InstantSchema.nullable(),
});
export type RoomJoined = z.infer<typeof RoomJoinedSchema>;

// ---- socket payloads (client to server) ----

const roomRef = { roomId: IdSchema };

export const RoomJoinPayloadSchema = z.strictObject(roomRef);
export const RoomLeavePayloadSchema = z.strictObject(roomRef);
export const RoomChatPayloadSchema = z.strictObject({
  ...roomRef,
  // Length is checked by the service so that an over-long message gets CHAT_TOO_LONG, not a generic error.
  text: z.string().max(10_000),
});
/** Taps are counted on the phone and sent in batches; never one event per tap. */
export const RoomLikePayloadSchema = z.strictObject({ ...roomRef, count: z.number().int().min(1).max(200) });
export const RoomPinPayloadSchema = z.strictObject({ ...roomRef, productId: IdSchema.nullable() });
export const RoomRemoveMessagePayloadSchema = z.strictObject({ ...roomRef, messageId: IdSchema });
export const RoomMutePayloadSchema = z.strictObject({
  ...roomRef,
  userId: IdSchema,
  minutes: z.number().int().min(1).max(7 * 24 * 60),
});
export const RoomUnmutePayloadSchema = z.strictObject({ ...roomRef, userId: IdSchema });
export const RoomRemoveUserPayloadSchema = z.strictObject({ ...roomRef, userId: IdSchema });

// ---- socket payloads (server to client) ----

export const ViewerCountSchema = z.object({ roomId: IdSchema, count: z.number().int() });
export const LikesSchema = z.object({ roomId: IdSchema, total: z.number().int(), delta: z.number().int() });
export const ProductPinnedSchema = z.object({ roomId: IdSchema, product: ProductCardSchema.nullable() });
export const MessageRemovedSchema = z.object({ roomId: IdSchema, messageId: IdSchema });
export const RoomStatusChangedSchema = z.object({ roomId: IdSchema, status: RoomStatusSchema });
export const RemovedFromRoomSchema = z.object({ roomId: IdSchema });
export const MutedSchema = z.object({ roomId: IdSchema, until: InstantSchema.nullable() });
