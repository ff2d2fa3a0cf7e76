import type { ServerToClientEvents } from '@farmlive/shared';

export type SfuServerEvent = Extract<keyof ServerToClientEvents, `sfu:${string}`>;

/** How a peer reaches its client: one socket's `emit`, narrowed to the `sfu:*` events. */
export type PeerNotify = <E extends SfuServerEvent>(event: E, payload: Parameters<ServerToClientEvents[E]>[0]) => void;
