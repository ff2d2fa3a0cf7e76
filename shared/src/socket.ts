import type { z } from 'zod';
import type { ErrorBody } from './common';
import * as flashSales from './flash-sales';
import * as orders from './orders';
import * as rooms from './rooms';
import * as sfu from './sfu';

/**
 * Every socket acknowledgement has this shape. Clients switch on `ok`, then on `error.code`.
 */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type AckFn<T> = (ack: Ack<T>) => void;

type Payload<S extends z.ZodType> = z.input<S>;

/**
 * Client-to-server events: name to payload schema. The server validates every payload
 * against this map; the client's types come from it too.
 */
export const clientEventSchemas = {
  'room:join': rooms.RoomJoinPayloadSchema,
  'room:leave': rooms.RoomLeavePayloadSchema,
  'room:chat': rooms.RoomChatPayloadSchema,
  'room:like': rooms.RoomLikePayloadSchema,
  'room:pin': rooms.RoomPinPayloadSchema,
  'room:removeMessage': rooms.RoomRemoveMessagePayloadSchema,
  'room:mute': rooms.RoomMutePayloadSchema,
  'room:unmute': rooms.RoomUnmutePayloadSchema,
  'room:removeUser': rooms.RoomRemoveUserPayloadSchema,
  'sfu:join': sfu.SfuJoinPayloadSchema,
  'sfu:createTransport': sfu.SfuCreateTransportPayloadSchema,
  'sfu:connectTransport': sfu.SfuConnectTransportPayloadSchema,
  'sfu:restartIce': sfu.SfuRestartIcePayloadSchema,
  'sfu:produce': sfu.SfuProducePayloadSchema,
  'sfu:setProducerPaused': sfu.SfuSetProducerPausedPayloadSchema,
  'sfu:consume': sfu.SfuConsumePayloadSchema,
  'sfu:resumeConsumer': sfu.SfuResumeConsumerPayloadSchema,
  'sfu:setPreferredLayers': sfu.SfuSetPreferredLayersPayloadSchema,
  'sfu:setAudioOnly': sfu.SfuSetAudioOnlyPayloadSchema,
  'sfu:leave': sfu.SfuLeavePayloadSchema,
  'flashSale:list': flashSales.FlashSaleListPayloadSchema,
  'flashSale:claim': flashSales.ClaimPayloadSchema,
} as const;

/** What each client event's ack carries on success. */
export interface ClientEventResults {
  'room:join': rooms.RoomJoined;
  'room:leave': null;
  'room:chat': rooms.ChatMessage;
  'room:like': null;
  'room:pin': z.infer<typeof rooms.ProductPinnedSchema>;
  'room:removeMessage': null;
  'room:mute': null;
  'room:unmute': null;
  'room:removeUser': null;
  'sfu:join': sfu.SfuJoined;
  'sfu:createTransport': sfu.SfuTransportCreated;
  'sfu:connectTransport': null;
  'sfu:restartIce': z.infer<typeof sfu.SfuIceRestartedSchema>;
  'sfu:produce': z.infer<typeof sfu.SfuProducedSchema>;
  'sfu:setProducerPaused': null;
  'sfu:consume': sfu.SfuConsumed;
  'sfu:resumeConsumer': null;
  'sfu:setPreferredLayers': null;
  'sfu:setAudioOnly': null;
  'sfu:leave': null;
  /** The room's sales a viewer may see (the host also sees drafts). */
  'flashSale:list': flashSales.FlashSale[];
  'flashSale:claim': flashSales.ClaimResult;
}

export type ClientEventName = keyof typeof clientEventSchemas;

export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: Payload<(typeof clientEventSchemas)[E]>, ack?: AckFn<ClientEventResults[E]>) => void;
};

export interface ServerToClientEvents {
  'room:viewerCount': (p: z.infer<typeof rooms.ViewerCountSchema>) => void;
  'room:message': (p: rooms.ChatMessage) => void;
  'room:messageRemoved': (p: z.infer<typeof rooms.MessageRemovedSchema>) => void;
  'room:likes': (p: z.infer<typeof rooms.LikesSchema>) => void;
  'room:productPinned': (p: z.infer<typeof rooms.ProductPinnedSchema>) => void;
  'room:statusChanged': (p: z.infer<typeof rooms.RoomStatusChangedSchema>) => void;
  'room:removed': (p: z.infer<typeof rooms.RemovedFromRoomSchema>) => void;
  'room:muted': (p: z.infer<typeof rooms.MutedSchema>) => void;
  'sfu:newProducer': (p: z.infer<typeof sfu.SfuNewProducerSchema>) => void;
  'sfu:producerClosed': (p: z.infer<typeof sfu.SfuProducerClosedSchema>) => void;
  'sfu:producerPaused': (p: z.infer<typeof sfu.SfuProducerPausedSchema>) => void;
  'sfu:consumerState': (p: z.infer<typeof sfu.SfuConsumerStateSchema>) => void;
  'sfu:closed': (p: z.infer<typeof sfu.SfuClosedSchema>) => void;
  /** A sale in the room was announced, scheduled, started or ended: the whole card, again. */
  'flashSale:updated': (p: flashSales.FlashSale) => void;
  /** Remaining stock, at most 10 a second per sale across all processes. */
  'flashSale:stockChanged': (p: flashSales.StockChanged) => void;
  /** "Someone just bought": units paid for, nothing about who. */
  'flashSale:purchased': (p: flashSales.Purchased) => void;
  /** To the buyer's own sockets: one of their orders changed status. */
  'order:updated': (p: orders.OrderUpdated) => void;
  /** Sent when a client emitted an event without an ack callback and it failed. */
  'app:error': (p: ErrorBody & { event: string }) => void;
}
