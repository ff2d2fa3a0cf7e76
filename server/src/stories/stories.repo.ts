import { z } from 'zod';
import { StoryStatusSchema, type Story, type StoryLink, type StoryStatus } from '@farmlive/shared';
import { many, maybeOne, type Db, type Queryable } from '../platform/db/db';

const Row = z.object({
  id: z.string(),
  status: StoryStatusSchema,
  title: z.string(),
  summary: z.string(),
  author: z.string(),
  body_html: z.string(),
  cover_image_id: z.string().nullable(),
  image_ids: z.array(z.string()),
  product_ids: z.array(z.string()),
  link_kind: z.enum(['room', 'campaign', 'product']).nullable(),
  link_id: z.string().nullable(),
  weibo_text: z.string(),
  created_by: z.string(),
  created_by_name: z.string(),
  reviewed_by: z.string().nullable(),
  reviewed_by_name: z.string().nullable(),
  review_note: z.string().nullable(),
  submitted_at: z.date().nullable(),
  decided_at: z.date().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
  publication_counts: z.record(z.string(), z.coerce.number().int()),
});
export type StoryRow = z.infer<typeof Row>;

const SELECT = `
  select s.*, cu.display_name as created_by_name, ru.display_name as reviewed_by_name,
    coalesce((select jsonb_object_agg(c.status, c.n) from (select p.status, count(*) as n from publications p where p.story_id = s.id group by p.status) c), '{}'::jsonb) as publication_counts
  from stories s join users cu on cu.id = s.created_by left join users ru on ru.id = s.reviewed_by`;

/** The fields an editor writes, as stored. */
export interface StoryFields {
  title: string;
  summary: string;
  author: string;
  bodyHtml: string;
  coverImageId: string | null;
  imageIds: string[];
  productIds: string[];
  link: StoryLink | null;
  weiboText: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toStory(r: StoryRow, bodyHtml = r.body_html): Story {
  return {
    id: r.id,
    status: r.status,
    title: r.title,
    summary: r.summary,
    author: r.author,
    bodyHtml,
    coverImageId: r.cover_image_id,
    imageIds: r.image_ids,
    productIds: r.product_ids,
    link: r.link_kind && r.link_id ? ({ kind: r.link_kind, id: r.link_id } as StoryLink) : null,
    weiboText: r.weibo_text,
    createdBy: { id: r.created_by, displayName: r.created_by_name },
    reviewedBy: r.reviewed_by ? { id: r.reviewed_by, displayName: r.reviewed_by_name ?? '' } : null,
    reviewNote: r.review_note,
    submittedAt: iso(r.submitted_at),
    decidedAt: iso(r.decided_at),
    publicationCounts: r.publication_counts,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export const rowFields = (r: StoryRow): StoryFields => ({
  title: r.title,
  summary: r.summary,
  author: r.author,
  bodyHtml: r.body_html,
  coverImageId: r.cover_image_id,
  imageIds: r.image_ids,
  productIds: r.product_ids,
  link: r.link_kind && r.link_id ? ({ kind: r.link_kind, id: r.link_id } as StoryLink) : null,
  weiboText: r.weibo_text,
});

export function createStoriesRepo(db: Db) {
  const get = (q: Queryable, id: string) => maybeOne(q.query(`${SELECT} where s.id = $1`, [id]), Row);
  return {
    get: (id: string) => get(db, id),

    list: (f: { status?: StoryStatus; authorId?: string; limit: number; before?: Date }) =>
      many(
        db.query(
          `${SELECT} where ($1::text is null or s.status = $1) and ($2::uuid is null or s.created_by = $2) and ($3::timestamptz is null or s.updated_at < $3)
           order by s.updated_at desc, s.id limit $4`,
          [f.status ?? null, f.authorId ?? null, f.before ?? null, f.limit],
        ),
        Row,
      ),

    async insert(by: string, f: StoryFields, at: Date): Promise<StoryRow> {
      const rows = await db.query(
        `insert into stories (title, summary, author, body_html, cover_image_id, image_ids, product_ids, link_kind, link_id, weibo_text, created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) returning id`,
        [f.title, f.summary, f.author, f.bodyHtml, f.coverImageId, f.imageIds, f.productIds, f.link?.kind ?? null, f.link?.id ?? null, f.weiboText, by, at],
      );
      return (await get(db, String(rows[0]!.id)))!;
    },

    /** Writes the fields when the story is still in one of `editable`; null when it is not (or is gone). */
    async update(id: string, f: StoryFields, editable: StoryStatus[], at: Date): Promise<StoryRow | null> {
      const rows = await db.query(
        `update stories set title = $2, summary = $3, author = $4, body_html = $5, cover_image_id = $6, image_ids = $7, product_ids = $8,
           link_kind = $9, link_id = $10, weibo_text = $11, updated_at = $12
         where id = $1 and status = any($13) returning id`,
        [id, f.title, f.summary, f.author, f.bodyHtml, f.coverImageId, f.imageIds, f.productIds, f.link?.kind ?? null, f.link?.id ?? null, f.weiboText, at, editable],
      );
      return rows.length ? get(db, id) : null;
    },

    /**
     * Moves the story from one of `from` to `to` in one conditional statement, so that two people
     * acting at once cannot both win. `extra` sets review fields. Null when it was not in `from`.
     */
    async move(
      id: string,
      from: StoryStatus[],
      to: StoryStatus,
      at: Date,
      extra: { submittedAt?: Date | null; reviewedBy?: string | null; reviewNote?: string | null; decidedAt?: Date | null; notAuthor?: string } = {},
    ): Promise<StoryRow | null> {
      const set = ['status = $3', 'updated_at = $4'];
      const params: unknown[] = [id, from, to, at];
      const add = (col: string, v: unknown) => {
        params.push(v);
        set.push(`${col} = $${params.length}`);
      };
      if (extra.submittedAt !== undefined) add('submitted_at', extra.submittedAt);
      if (extra.reviewedBy !== undefined) add('reviewed_by', extra.reviewedBy);
      if (extra.reviewNote !== undefined) add('review_note', extra.reviewNote);
      if (extra.decidedAt !== undefined) add('decided_at', extra.decidedAt);
      let guard = '';
      if (extra.notAuthor) {
        params.push(extra.notAuthor);
        guard = ` and created_by <> $${params.length}`;
      }
      const rows = await db.query(`update stories set ${set.join(', ')} where id = $1 and status = any($2)${guard} returning id`, params);
      return rows.length ? get(db, id) : null;
    },

    /** Publications of the story that are waiting, under way or live (not cancelled, not failed). */
    async activePublications(id: string): Promise<number> {
      const rows = await db.query(`select count(*) as n from publications where story_id = $1 and status not in ('cancelled', 'failed')`, [id]);
      return Number(rows[0]!.n);
    },

    /** Deletes a story that has no publication at all; false when it has one (or is gone). */
    async remove(id: string): Promise<boolean> {
      const rows = await db.query(`delete from stories where id = $1 and not exists (select 1 from publications where story_id = $1) returning id`, [id]);
      return rows.length > 0;
    },

    /** Ids among `ids` that exist in `table`. */
    async existing(table: 'products' | 'rooms' | 'campaigns', ids: string[]): Promise<Set<string>> {
      if (!ids.length) return new Set();
      if (table === 'campaigns') {
        const t = await db.query(`select to_regclass('public.campaigns') is not null as present`);
        if (!t[0]!.present) return new Set();
      }
      const rows = await db.query(`select id::text as id from ${table} where id = any($1::uuid[])`, [ids]);
      return new Set(rows.map((r) => String(r.id)));
    },
  };
}

export type StoriesRepo = ReturnType<typeof createStoriesRepo>;
