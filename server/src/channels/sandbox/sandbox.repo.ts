import { z } from 'zod';
import { RenderedVariantSchema, type RenderedVariant } from '@farmlive/shared';
import { many, maybeOne, type Queryable } from '../../platform/db/db';

const PostRow = z.object({
  id: z.string(),
  account_id: z.string(),
  idempotency_key: z.string(),
  platform: z.enum(['weibo', 'wechat']),
  variant: RenderedVariantSchema,
  created_at: z.date(),
});
export type SandboxPostRow = z.infer<typeof PostRow>;

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
const columns = 'id, account_id, idempotency_key, platform, variant, created_at';

export function createSandboxRepo(db: Queryable) {
  return {
    /** Records a post once per key; `inserted` is false when the key was seen before. */
    async record(p: { accountId: string; key: string; variant: RenderedVariant; previewHtml: string; at: Date }) {
      const rows = await db.query(
        `insert into sandbox_posts (account_id, idempotency_key, platform, variant, preview_html, created_at) values ($1, $2, $3, $4, $5, $6)
         on conflict (account_id, idempotency_key) do nothing returning ${columns}`,
        [p.accountId, p.key, p.variant.platform, JSON.stringify(p.variant), p.previewHtml, p.at],
      );
      if (rows.length) return { post: PostRow.parse(rows[0]), inserted: true };
      return { post: (await this.byKey(p.accountId, p.key))!, inserted: false };
    },
    byKey: (accountId: string, key: string) =>
      maybeOne(db.query(`select ${columns} from sandbox_posts where account_id = $1 and idempotency_key = $2`, [accountId, key]), PostRow),
    byId: async (id: string) => (isUuid(id) ? maybeOne(db.query(`select ${columns} from sandbox_posts where id = $1`, [id]), PostRow) : null),
    async previewHtml(id: string): Promise<string | null> {
      if (!isUuid(id)) return null;
      const rows = await db.query(`select preview_html from sandbox_posts where id = $1`, [id]);
      return rows.length ? String(rows[0]!.preview_html) : null;
    },
    list: (accountId: string, limit: number) =>
      many(db.query(`select ${columns} from sandbox_posts where account_id = $1 order by created_at desc limit $2`, [accountId, limit]), PostRow),
  };
}
