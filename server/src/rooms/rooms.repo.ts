import { z } from 'zod';
import type { ChatMessage, Room, RoomStatus } from '@farmlive/shared';
import { many, maybeOne, type Queryable } from '../platform/db/db';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const RoomRow = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    status: z.enum(['scheduled', 'live', 'closed']),
    scheduled_at: z.date().nullable(),
    opened_at: z.date().nullable(),
    closed_at: z.date().nullable(),
    pinned_product_id: z.string().nullable(),
    cover_url: z.string().nullable(),
    like_count: z.number(),
    host_id: z.string(),
    host_name: z.string(),
    product_ids: z.array(z.string()),
  })
  .transform(
    (r): Room => ({
      id: r.id,
      title: r.title,
      description: r.description,
      status: r.status,
      host: { id: r.host_id, displayName: r.host_name },
      scheduledAt: iso(r.scheduled_at),
      openedAt: iso(r.opened_at),
      closedAt: iso(r.closed_at),
      productIds: r.product_ids,
      pinnedProductId: r.pinned_product_id,
      coverUrl: r.cover_url,
      likeCount: r.like_count,
    }),
  );

const roomSelect = `
  select r.id, r.title, r.description, r.status, r.scheduled_at, r.opened_at, r.closed_at, r.pinned_product_id,
         r.cover_url, r.like_count, r.host_id, u.display_name as host_name,
         coalesce((select array_agg(rp.product_id::text order by rp.position) from room_products rp where rp.room_id = r.id), '{}'::text[]) as product_ids
  from rooms r join users u on u.id = r.host_id`;

const MessageRow = z
  .object({ id: z.string(), room_id: z.string(), user_id: z.string(), display_name: z.string(), text: z.string(), created_at: z.date() })
  .transform(
    (r): ChatMessage => ({ id: r.id, roomId: r.room_id, user: { id: r.user_id, displayName: r.display_name }, text: r.text, sentAt: r.created_at.toISOString() }),
  );

export type RoomListFilter = 'live' | 'scheduled' | 'upcoming' | 'closed';

export function createRoomsRepo(db: Queryable) {
  return {
    get: (id: string) => maybeOne(db.query(`${roomSelect} where r.id = $1`, [id]), RoomRow),

    list(filter: RoomListFilter, limit: number) {
      const where = {
        live: `r.status = 'live' order by r.opened_at desc`,
        scheduled: `r.status = 'scheduled' order by r.scheduled_at asc nulls last`,
        // What a viewer browses: live rooms first, then those about to start.
        upcoming: `r.status in ('live', 'scheduled') order by (r.status = 'live') desc, r.scheduled_at asc nulls last, r.created_at desc`,
        closed: `r.status = 'closed' order by r.closed_at desc`,
      }[filter];
      return many(db.query(`${roomSelect} where ${where} limit $1`, [limit]), RoomRow);
    },

    byHost: (hostId: string, limit: number) =>
      many(db.query(`${roomSelect} where r.host_id = $1 order by r.created_at desc limit $2`, [hostId, limit]), RoomRow),

    async insert(r: { hostId: string; title: string; description: string; scheduledAt: Date | null; now: Date }): Promise<string> {
      const rows = await db.query(
        `insert into rooms (host_id, title, description, scheduled_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $5) returning id`,
        [r.hostId, r.title, r.description, r.scheduledAt, r.now],
      );
      return String(rows[0]!.id);
    },

    async update(id: string, p: { title?: string; description?: string; scheduledAt?: Date | null; now: Date }) {
      await db.query(
        `update rooms set title = coalesce($2, title), description = coalesce($3, description),
           scheduled_at = case when $4::boolean then $5::timestamptz else scheduled_at end, updated_at = $6
         where id = $1`,
        [id, p.title ?? null, p.description ?? null, p.scheduledAt !== undefined, p.scheduledAt ?? null, p.now],
      );
    },

    async setProducts(roomId: string, productIds: readonly string[]) {
      await db.query(`delete from room_products where room_id = $1`, [roomId]);
      if (productIds.length === 0) return;
      await db.query(
        `insert into room_products (room_id, product_id, position) select $1, pid, ord::int - 1 from unnest($2::uuid[]) with ordinality as t(pid, ord)`,
        [roomId, productIds],
      );
    },

    /** Moves a room between states; false when it was not in one of `from` (the transition is refused). */
    async transition(id: string, from: RoomStatus[], to: RoomStatus, at: Date): Promise<boolean> {
      const stamp = to === 'live' ? 'opened_at' : to === 'closed' ? 'closed_at' : 'updated_at';
      const rows = await db.query(
        `update rooms set status = $3, ${stamp} = $4, updated_at = $4 where id = $1 and status = any($2::text[]) returning id`,
        [id, from, to, at],
      );
      return rows.length === 1;
    },

    setPinned: (roomId: string, productId: string | null) => db.query(`update rooms set pinned_product_id = $2 where id = $1`, [roomId, productId]),

    async addLikes(roomId: string, delta: number): Promise<number | null> {
      const rows = await db.query(`update rooms set like_count = like_count + $2 where id = $1 returning like_count`, [roomId, delta]);
      return rows.length ? Number(rows[0]!.like_count) : null;
    },

    async bannedWords(roomId: string): Promise<string[]> {
      const rows = await db.query(`select banned_words from rooms where id = $1`, [roomId]);
      return z.array(z.string()).parse(rows[0]?.banned_words ?? []);
    },
    setBannedWords: (roomId: string, words: string[]) => db.query(`update rooms set banned_words = $2 where id = $1`, [roomId, words]),

    async isModerator(roomId: string, userId: string): Promise<boolean> {
      const rows = await db.query(`select 1 from room_moderators where room_id = $1 and user_id = $2`, [roomId, userId]);
      return rows.length > 0;
    },
    addModerator: (roomId: string, userId: string) =>
      db.query(`insert into room_moderators (room_id, user_id) values ($1, $2) on conflict do nothing`, [roomId, userId]),
    removeModerator: (roomId: string, userId: string) => db.query(`delete from room_moderators where room_id = $1 and user_id = $2`, [roomId, userId]),
    moderators: (roomId: string) =>
      many(
        db.query(`select u.id, u.display_name as "displayName" from room_moderators m join users u on u.id = m.user_id where m.room_id = $1 order by u.display_name`, [roomId]),
        z.object({ id: z.string(), displayName: z.string() }),
      ),

    async mutedUntil(roomId: string, userId: string, now: Date): Promise<Date | null> {
      const rows = await db.query(`select until from room_mutes where room_id = $1 and user_id = $2 and until > $3`, [roomId, userId, now]);
      return rows.length ? z.date().parse(rows[0]!.until) : null;
    },
    mute: (roomId: string, userId: string, until: Date, by: string) =>
      db.query(
        `insert into room_mutes (room_id, user_id, until, muted_by) values ($1, $2, $3, $4)
         on conflict (room_id, user_id) do update set until = excluded.until, muted_by = excluded.muted_by`,
        [roomId, userId, until, by],
      ),
    unmute: (roomId: string, userId: string) => db.query(`delete from room_mutes where room_id = $1 and user_id = $2`, [roomId, userId]),

    async isBanned(roomId: string, userId: string): Promise<boolean> {
      const rows = await db.query(`select 1 from room_bans where room_id = $1 and user_id = $2`, [roomId, userId]);
      return rows.length > 0;
    },
    ban: (roomId: string, userId: string, by: string) =>
      db.query(`insert into room_bans (room_id, user_id, banned_by) values ($1, $2, $3) on conflict do nothing`, [roomId, userId, by]),

    /**
     * Stores a chat message unless the sender is muted or removed, in one statement so that a
     * mute takes effect on the very next message, whichever process receives it.
     */
    insertMessage: (m: { roomId: string; userId: string; text: string; at: Date }) =>
      maybeOne(
        db.query(
          `with ins as (
             insert into chat_messages (room_id, user_id, text, created_at)
             select $1, $2, $3, $4
             where not exists (select 1 from room_mutes where room_id = $1 and user_id = $2 and until > $4)
               and not exists (select 1 from room_bans where room_id = $1 and user_id = $2)
             returning id, room_id, user_id, text, created_at)
           select ins.*, u.display_name from ins join users u on u.id = ins.user_id`,
          [m.roomId, m.userId, m.text, m.at],
        ),
        MessageRow,
      ),

    /** The newest `limit` visible messages, oldest first. */
    async recentMessages(roomId: string, limit: number): Promise<ChatMessage[]> {
      if (limit === 0) return [];
      const rows = await many(
        db.query(
          `select m.id, m.room_id, m.user_id, u.display_name, m.text, m.created_at from chat_messages m join users u on u.id = m.user_id
           where m.room_id = $1 and m.removed_at is null order by m.created_at desc, m.id desc limit $2`,
          [roomId, limit],
        ),
        MessageRow,
      );
      return rows.reverse();
    },

    /** Hides a message; 'removed' the first time, 'already' when it was hidden before, 'missing' when no such message is in the room. */
    async removeMessage(roomId: string, messageId: string, by: string, at: Date): Promise<'removed' | 'already' | 'missing'> {
      const rows = await db.query(
        `update chat_messages set removed_at = coalesce(removed_at, $4), removed_by = coalesce(removed_by, $3)
         where id = $2 and room_id = $1 returning (removed_at = $4) as fresh`,
        [roomId, messageId, by, at],
      );
      if (rows.length === 0) return 'missing';
      return rows[0]!.fresh ? 'removed' : 'already';
    },
  };
}

export type RoomsRepo = ReturnType<typeof createRoomsRepo>;
