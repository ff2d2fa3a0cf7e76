import { z } from 'zod';
import { ATTRIBUTION_WINDOW_DAYS, type AccountFigures, type Figures, type StoryFigures } from '@farmlive/shared';
import type { Clock } from '../platform/clock';
import { many, maybeOne, type Db } from '../platform/db/db';
import { AppError } from '../platform/errors';

/**
 * Attribution: a visit through `/s/:code` is counted against its publication; an order is credited
 * to the publication of the last link its buyer came through in the 7 days before it (last touch),
 * and through it to the account and the story. A buyer is known when they were signed in at the
 * visit, or when the page reports the touch after sign-in (`?ref=` carried to the room page).
 */
export interface AttributionService {
  /** Counts a visit and answers where to send the visitor, or null for an unknown code. */
  visit(code: string, visitor: string, userId: string | null): Promise<string | null>;
  touch(code: string, visitor: string | null, userId: string): Promise<void>;
  storyFigures(storyId: string, range: Range): Promise<StoryFigures>;
  accounts(range: Range): Promise<{ accounts: AccountFigures[]; total: Figures }>;
  stories(range: Range): Promise<{ stories: Omit<StoryFigures, 'byAccount'>[]; total: Figures }>;
}

export interface Range {
  from?: string;
  to?: string;
}

const Target = z.object({ id: z.string(), link_kind: z.string().nullable(), link_id: z.string().nullable(), product_ids: z.array(z.string()) });

const PAID = `('paid', 'shipped', 'delivered', 'completed')`;
/** A visit counts at most once per visitor and publication in this many minutes (reloads, link previews). */
const VISIT_DEDUPE_MINUTES = 10;

const FigureRow = z.object({
  key: z.string(),
  name: z.string(),
  channel: z.string().nullable(),
  publications: z.coerce.number(),
  published: z.coerce.number(),
  visits: z.coerce.number(),
  visitors: z.coerce.number(),
  orders: z.coerce.number(),
  paid_orders: z.coerce.number(),
  revenue_fen: z.coerce.number(),
});

const toFigures = (r: z.infer<typeof FigureRow>): Figures => ({
  publications: r.publications,
  published: r.published,
  visits: r.visits,
  visitors: r.visitors,
  orders: r.orders,
  paidOrders: r.paid_orders,
  revenueFen: r.revenue_fen,
});

const sum = (rows: Figures[]): Figures =>
  rows.reduce(
    (t, r) => ({
      publications: t.publications + r.publications,
      published: t.published + r.published,
      visits: t.visits + r.visits,
      visitors: t.visitors + r.visitors,
      orders: t.orders + r.orders,
      paidOrders: t.paidOrders + r.paidOrders,
      revenueFen: t.revenueFen + r.revenueFen,
    }),
    { publications: 0, published: 0, visits: 0, visitors: 0, orders: 0, paidOrders: 0, revenueFen: 0 },
  );

export function createAttributionService(deps: { db: Db; clock: Clock }): AttributionService {
  const { db, clock } = deps;

  const publicationOf = (code: string) =>
    maybeOne(db.query(`select p.id, s.link_kind, s.link_id, s.product_ids from publications p join stories s on s.id = p.story_id where p.link_code = $1`, [code]), Target);

  /**
   * Figures grouped by `group` (account or story), over publications matching `where`. Orders are
   * credited by last touch: for each order, the latest visit or touch of its buyer in the window before it.
   */
  async function figures(group: 'account' | 'story', where: string, params: unknown[], range: Range) {
    const p = [...params, range.from ?? null, range.to ?? null, ATTRIBUTION_WINDOW_DAYS];
    const n = params.length;
    const [from, to, days] = [`$${n + 1}::timestamptz`, `$${n + 2}::timestamptz`, `$${n + 3}::int`];
    const key = group === 'account' ? 'p.account_id' : 'p.story_id';
    const name = group === 'account' ? 'a.name' : 's.title';
    const sql = `
      with pubs as (
        select p.id, ${key} as key, ${name} as name, ${group === 'account' ? 'a.channel' : 'null::text'} as channel, p.status
        from publications p join accounts a on a.id = p.account_id join stories s on s.id = p.story_id
        where p.status <> 'cancelled' ${where}
      ),
      credited as (
        select o.id, o.status, o.total_fen,
          (select lv.publication_id from link_visits lv
            where lv.user_id = o.buyer_id and lv.at <= o.created_at and lv.at > o.created_at - make_interval(days => ${days})
            order by lv.at desc, lv.id desc limit 1) as publication_id
        from orders o
        where o.buyer_id in (select user_id from link_visits where user_id is not null)
          and (${from} is null or o.created_at >= ${from}) and (${to} is null or o.created_at < ${to})
      ),
      v as (
        select publication_id, count(*) as visits, count(distinct visitor) as visitors from link_visits
        where kind = 'visit' and publication_id in (select id from pubs)
          and (${from} is null or at >= ${from}) and (${to} is null or at < ${to})
        group by publication_id
      ),
      c as (
        select publication_id, count(*) filter (where status not in ('expired', 'cancelled')) as orders,
          count(*) filter (where status in ${PAID}) as paid_orders,
          coalesce(sum(total_fen) filter (where status in ${PAID}), 0) as revenue_fen
        from credited where publication_id in (select id from pubs) group by publication_id
      )
      select pubs.key::text as key, min(pubs.name) as name, min(pubs.channel) as channel,
        count(*) as publications, count(*) filter (where pubs.status = 'published') as published,
        coalesce(sum(v.visits), 0) as visits, coalesce(sum(v.visitors), 0) as visitors,
        coalesce(sum(c.orders), 0) as orders, coalesce(sum(c.paid_orders), 0) as paid_orders, coalesce(sum(c.revenue_fen), 0) as revenue_fen
      from pubs left join v on v.publication_id = pubs.id left join c on c.publication_id = pubs.id
      group by pubs.key order by revenue_fen desc, visits desc, name`;
    return many(db.query(sql, p), FigureRow);
  }

  const toAccount = (r: z.infer<typeof FigureRow>): AccountFigures => ({ ...toFigures(r), accountId: r.key, accountName: r.name, channel: (r.channel ?? 'sandbox') as AccountFigures['channel'] });

  return {
    async visit(code, visitor, userId) {
      const t = await publicationOf(code);
      if (!t) return null;
      const now = clock.now();
      await db.query(
        `insert into link_visits (publication_id, kind, visitor, user_id, at)
         select $1, 'visit', $2, $3, $4
         where not exists (select 1 from link_visits where publication_id = $1 and visitor = $2 and kind = 'visit' and at > $4::timestamptz - make_interval(mins => $5::int))`,
        [t.id, visitor, userId, now, VISIT_DEDUPE_MINUTES],
      );
      // A visitor seen anonymously before signing in: their earlier visits are theirs now.
      if (userId) await db.query(`update link_visits set user_id = $2 where visitor = $1 and user_id is null`, [visitor, userId]);
      const ref = `ref=${code}`;
      if (t.link_kind === 'room') return `/rooms/${t.link_id}?${ref}`;
      if (t.link_kind === 'campaign') return `/campaigns/${t.link_id}?${ref}`;
      const product = t.link_kind === 'product' ? t.link_id : t.product_ids[0];
      return product ? `/products/${product}?${ref}` : `/?${ref}`;
    },

    async touch(code, visitor, userId) {
      const t = await publicationOf(code);
      if (!t) throw new AppError('LINK_NOT_FOUND');
      const now = clock.now();
      if (visitor) await db.query(`update link_visits set user_id = $2 where visitor = $1 and user_id is null`, [visitor, userId]);
      await db.query(
        `insert into link_visits (publication_id, kind, visitor, user_id, at)
         select $1, 'touch', $2, $3, $4
         where not exists (select 1 from link_visits where publication_id = $1 and user_id = $3 and at > $4::timestamptz - make_interval(mins => $5::int))`,
        [t.id, visitor ?? `user:${userId}`, userId, now, VISIT_DEDUPE_MINUTES],
      );
    },

    async storyFigures(storyId, range) {
      const story = await maybeOne(db.query(`select id, title from stories where id = $1`, [storyId]), z.object({ id: z.string(), title: z.string() }));
      if (!story) throw new AppError('STORY_NOT_FOUND');
      const byAccount = (await figures('account', 'and p.story_id = $1', [storyId], range)).map(toAccount);
      return { ...sum(byAccount), storyId, title: story.title, byAccount };
    },

    async accounts(range) {
      const accounts = (await figures('account', '', [], range)).map(toAccount);
      return { accounts, total: sum(accounts) };
    },

    async stories(range) {
      const stories = (await figures('story', '', [], range)).map((r) => ({ ...toFigures(r), storyId: r.key, title: r.name }));
      return { stories, total: sum(stories) };
    },
  };
}
