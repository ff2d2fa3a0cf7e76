import { randomBytes } from 'node:crypto';
import { hashToken } from '../../src/auth/auth.service';
import type { Deps } from '../../src/deps';
import type { Queryable } from '../../src/platform/db/db';

export interface TestSaleOptions {
  quantity: number;
  perBuyerLimit?: number;
  /** null: not started (a draft). */
  startsAt?: Date | null;
  endsAt?: Date | null;
  paymentWindowSeconds?: number;
  priceFen?: number;
}

/** Inserts a flash sale straight into the database (for ledger tests), on the demo's live room and first sku. */
export async function insertTestSale(db: Queryable, o: TestSaleOptions): Promise<string> {
  const base = await db.query(
    `select r.id as room_id, r.host_id, s.id as sku_id, p.id as product_id, p.name as product_name, s.name as sku_name, s.weight_grams, s.price_fen
     from rooms r join room_products rp on rp.room_id = r.id join products p on p.id = rp.product_id join skus s on s.product_id = p.id
     where r.status = 'live' order by s.position limit 1`,
  );
  const b = base[0];
  if (!b) throw new Error('no demo room: seed the demo data first');
  const startsAt = o.startsAt === undefined ? new Date(Date.UTC(2020, 0, 1)) : o.startsAt;
  const endsAt = startsAt === null ? null : (o.endsAt ?? new Date(Date.UTC(2100, 0, 1)));
  const rows = await db.query(
    `insert into flash_sales (room_id, sku_id, host_id, product_id, product_name, sku_name, weight_grams, list_price_fen, price_fen, quantity,
       per_buyer_limit, duration_seconds, payment_window_seconds, status, starts_at, ends_at, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 600, $12, $13, $14, $15, now(), now()) returning id`,
    [
      b.room_id, b.sku_id, b.host_id, b.product_id, b.product_name, b.sku_name, b.weight_grams, b.price_fen,
      o.priceFen ?? 2990, o.quantity, o.perBuyerLimit ?? 1, o.paymentWindowSeconds ?? 900, startsAt ? 'announced' : 'draft', startsAt, endsAt,
    ],
  );
  return String(rows[0]!.id);
}

/** Inserts `n` viewers with unique phone numbers; answers their ids. */
export async function insertBuyers(db: Queryable, n: number): Promise<string[]> {
  const tag = randomBytes(3).readUIntBE(0, 3) % 100_000;
  const rows = await db.query(
    `insert into users (phone, display_name) select '15' || lpad($1::text, 5, '0') || lpad(g::text, 4, '0'), '买家' || g from generate_series(1, $2::int) g returning id`,
    [tag, n],
  );
  return rows.map((r) => String(r.id));
}

/** A signed-in HTTP call against a test app (fastify inject), answering status and parsed body. */
export async function api<T = unknown>(
  app: { app: { inject: (o: object) => Promise<{ statusCode: number; body: string }> } },
  token: string | null,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
): Promise<{ status: number; body: T; code: string | undefined }> {
  const res = await app.app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(payload === undefined ? {} : { payload }) });
  const body = (res.body ? JSON.parse(res.body) : null) as T & { error?: { code?: string } };
  return { status: res.statusCode, body, code: body?.error?.code };
}

/** A fresh idempotency key, as a client makes one per tap of Buy. */
export const newKey = () => randomBytes(12).toString('hex');

/** A valid delivery address. */
export const testAddress = { name: '张阿姨', phone: '13600000001', province: '北京市', city: '北京市', district: '朝阳区', detail: '建国路88号院3号楼' };

/** Signs users in without the code dance (for storms of thousands): a session row per user; answers their tokens. */
export async function insertSessions(db: Queryable, userIds: readonly string[]): Promise<string[]> {
  const tokens = userIds.map(() => randomBytes(24).toString('base64url'));
  const hashes = tokens.map(hashToken);
  await db.query(`insert into sessions (token_hash, user_id, expires_at) select h, u, now() + interval '1 day' from unnest($1::text[], $2::uuid[]) as t(h, u)`, [hashes, userIds]);
  return tokens;
}

/** Runs `tasks` with at most `width` at a time. */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let nextTask = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, tasks.length) }, async () => {
      while (nextTask < tasks.length) {
        const i = nextTask++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}

/** Deletes the flash-sale keys a test app left in Redis (the Redis ledger keeps a sale's keys a week after it ends). */
export async function dropFlashKeys(app: { deps: Pick<Deps, 'redis'> }) {
  const redis = app.deps.redis;
  if (!redis) return;
  let cursor = '0';
  do {
    const [next, keys] = await redis.pub.scan(cursor, 'MATCH', `${redis.prefix}fs:*`, 'COUNT', 1000);
    if (keys.length) await redis.pub.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
