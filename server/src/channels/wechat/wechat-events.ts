import { z } from 'zod';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock';
import { many, type Db } from '../../platform/db/db';
import type { WechatEvent } from './wechat-callback';

export interface StoredWechatEvent {
  id: string;
  accountId: string;
  dedupeKey: string;
  event: WechatEvent;
  receivedAt: Date;
}

/**
 * Where callback events go: the publishing jobs implement it (match `publishId` to the
 * publication, apply `outcome`). Until one is set, events wait in `wechat_events` unhandled,
 * and `unhandled()` hands them over later; nothing is lost either way.
 */
export interface WechatEventSink {
  handle(e: StoredWechatEvent): Promise<void>;
}

const EventRow = z.object({ id: z.string(), account_id: z.string(), dedupe_key: z.string(), payload: z.object({ event: z.unknown() }), received_at: z.date() });
const toStored = (r: z.infer<typeof EventRow>): StoredWechatEvent => ({
  id: r.id,
  accountId: r.account_id,
  dedupeKey: r.dedupe_key,
  event: r.payload.event as WechatEvent,
  receivedAt: r.received_at,
});

export type AcceptResult = 'stored' | 'duplicate' | 'replayed';

export interface WechatEvents {
  /**
   * Stores one signed request's event: refuses a request whose nonce and timestamp were accepted
   * before (a replay), keeps an event WeChat sends again (its retries) once.
   */
  accept(p: { accountId: string; nonce: string; timestamp: number; dedupeKey: string; event: WechatEvent; raw: Record<string, unknown>; maxAgeSeconds: number }): Promise<{ result: AcceptResult; stored: StoredWechatEvent | null }>;
  /** Hands a stored event to the sink, if there is one; marks it handled when the sink succeeds. */
  dispatch(e: StoredWechatEvent): Promise<void>;
  setSink(sink: WechatEventSink | null): void;
  unhandled(limit: number): Promise<StoredWechatEvent[]>;
  markHandled(id: string): Promise<void>;
}

export function createWechatEvents(deps: { db: Db; clock: Clock; log: Logger }): WechatEvents {
  const { db, clock, log } = deps;
  let sink: WechatEventSink | null = null;

  const events: WechatEvents = {
    accept: (p) =>
      db.transaction(async (tx) => {
        const now = clock.now();
        await tx.query(`delete from wechat_callback_nonces where account_id = $1 and seen_at < $2`, [p.accountId, new Date(now.getTime() - 2 * p.maxAgeSeconds * 1000)]);
        const fresh = await tx.query(
          `insert into wechat_callback_nonces (account_id, nonce, ts, seen_at) values ($1, $2, $3, $4) on conflict do nothing returning nonce`,
          [p.accountId, p.nonce, p.timestamp, now],
        );
        if (!fresh.length) return { result: 'replayed' as const, stored: null };
        const rows = await tx.query(
          `insert into wechat_events (account_id, dedupe_key, event, payload, received_at) values ($1, $2, $3, $4, $5)
           on conflict (account_id, dedupe_key) do nothing returning id, account_id, dedupe_key, payload, received_at`,
          [p.accountId, p.dedupeKey, p.event.kind, JSON.stringify({ event: p.event, raw: p.raw }), now],
        );
        if (!rows.length) return { result: 'duplicate' as const, stored: null };
        return { result: 'stored' as const, stored: toStored(EventRow.parse(rows[0])) };
      }),

    async dispatch(e) {
      if (!sink) return;
      try {
        await sink.handle(e);
        await events.markHandled(e.id);
      } catch (err) {
        log.error({ err, eventId: e.id }, 'wechat event handler failed; the event stays unhandled');
      }
    },

    setSink(s) {
      sink = s;
    },

    unhandled: async (limit) =>
      (
        await many(
          db.query(`select id, account_id, dedupe_key, payload, received_at from wechat_events where handled_at is null order by received_at limit $1`, [limit]),
          EventRow,
        )
      ).map(toStored),

    async markHandled(id) {
      await db.query(`update wechat_events set handled_at = $2 where id = $1`, [id, clock.now()]);
    },
  };
  return events;
}
