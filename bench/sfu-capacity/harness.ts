import type { WebRtcEndpoint } from './endpoint';
import type { RtpSource } from './rtp-source';

/** One way of serving viewers from one mediasoup worker: FarmLive's own stack, or bare mediasoup. */
export interface Harness {
  readonly name: string;
  /** The 0.5 Mbit/s stream the host sends. */
  readonly source: RtpSource;
  readonly viewers: WebRtcEndpoint[];
  readonly workerPid: number;
  /** The worker's UDP port that receives the host's stream: its kernel drop counter shows a starved worker. */
  readonly ingressPort: number;
  /** Adds `count` viewers, each with its own WebRTC transport and consumer, receiving. */
  addViewers(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * One viewer in ten keeps counting its packets; the others stop reading once connected. The
 * worker sends every viewer the same packets either way, and loss at the worker's input reaches
 * every viewer alike, so a tenth is a fair sample; it spares this process (which shares the
 * machine's two cores with the worker) a callback per packet per viewer.
 */
export const SAMPLE_EVERY = 10;

export function admit(viewers: WebRtcEndpoint[], endpoint: WebRtcEndpoint): void {
  if (viewers.length % SAMPLE_EVERY !== 0) endpoint.mute();
  viewers.push(endpoint);
}

/** Runs `fn` over `items`, `limit` at a time. */
export async function inBatches<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
