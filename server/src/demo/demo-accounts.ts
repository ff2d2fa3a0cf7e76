import type { Queryable } from '../platform/db/db';

/**
 * Sandbox publishing accounts and their groups, so that the console's account board is not empty
 * on a first start. Sandbox accounts need no credentials: they record what would be sent and show
 * a preview, which is how a county tries FarmLive before connecting real Weibo or WeChat accounts.
 */
export const demoAccountGroups = ['陇南县区融媒矩阵', '丰收节活动'] as const;

export const demoAccounts: { name: string; imitates: 'weibo' | 'wechat'; groups: (typeof demoAccountGroups)[number][] }[] = [
  { name: '礼县发布（微博·沙盒）', imitates: 'weibo', groups: ['陇南县区融媒矩阵', '丰收节活动'] },
  { name: '礼县融媒（公众号·沙盒）', imitates: 'wechat', groups: ['陇南县区融媒矩阵', '丰收节活动'] },
  { name: '成县发布（微博·沙盒）', imitates: 'weibo', groups: ['陇南县区融媒矩阵'] },
  { name: '成县核桃之乡（公众号·沙盒）', imitates: 'wechat', groups: ['陇南县区融媒矩阵'] },
  { name: '阿克苏苹果（微博·沙盒）', imitates: 'weibo', groups: ['丰收节活动'] },
];

/** Inserts the demo accounts (created by `createdBy`, the demo official) inside the seed's transaction. */
export async function seedDemoAccounts(tx: Queryable, p: { createdBy: string; now: Date }): Promise<void> {
  const groupIds = new Map<string, string>();
  for (const name of demoAccountGroups) {
    const rows = await tx.query(`insert into account_groups (name, created_at) values ($1, $2) returning id`, [name, p.now]);
    groupIds.set(name, String(rows[0]!.id));
  }
  for (const a of demoAccounts) {
    const rows = await tx.query(
      `insert into accounts (channel, name, imitates, created_by, created_at, updated_at) values ('sandbox', $1, $2, $3, $4, $4) returning id`,
      [a.name, a.imitates, p.createdBy, p.now],
    );
    const id = String(rows[0]!.id);
    for (const g of a.groups) await tx.query(`insert into account_group_members (group_id, account_id) values ($1, $2)`, [groupIds.get(g), id]);
  }
}
