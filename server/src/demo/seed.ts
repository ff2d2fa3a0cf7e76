import type { Clock } from '../platform/clock';
import type { Db, Queryable } from '../platform/db/db';
import { seedDemoAccounts } from './demo-accounts';
import { demoCooperatives, demoCounties, demoUsers, type DemoUserKey } from './demo-data';

const idOf = async (q: Promise<Record<string, unknown>[]>) => String((await q)[0]!.id);

/** Loads the demo data once; returns false when the database already holds a catalogue. */
export async function seedDemo(db: Db, clock: Clock): Promise<boolean> {
  const existing = await db.query(`select 1 from counties limit 1`);
  if (existing.length) return false;
  const now = clock.now();
  await db.transaction(async (tx) => {
    const users = new Map<DemoUserKey, string>();
    for (const u of demoUsers) {
      users.set(u.key, await idOf(tx.query(`insert into users (phone, display_name, roles) values ($1, $2, $3) returning id`, [u.phone, u.name, u.roles])));
    }
    const villages = new Map<string, string[]>();
    for (const c of demoCounties) {
      await tx.query(`insert into counties (id, name_zh, name_en, province_zh, brand_zh) values ($1, $2, $3, $4, $5)`, [c.id, c.nameZh, c.nameEn, c.provinceZh, c.brandZh]);
      const ids: string[] = [];
      for (const [zh, en] of c.villages) ids.push(await idOf(tx.query(`insert into villages (county_id, name_zh, name_en) values ($1, $2, $3) returning id`, [c.id, zh, en])));
      villages.set(c.id, ids);
    }
    const productIds: string[] = [];
    for (const coop of demoCooperatives) {
      const coopId = await insertProducer(tx, { kind: 'cooperative', name: coop.name, county: coop.county, village: villages.get(coop.county)![0]!, lowIncome: false, coop: null });
      for (const host of coop.hosts) await tx.query(`insert into producer_members (producer_id, user_id) values ($1, $2)`, [coopId, users.get(host)]);
      for (const h of coop.households) {
        await insertProducer(tx, { kind: 'household', name: h.name, county: coop.county, village: villages.get(coop.county)![h.village]!, lowIncome: h.lowIncome, coop: coopId });
      }
      for (const p of coop.products) {
        const productId = await idOf(
          tx.query(`insert into products (producer_id, name, description, origin, created_at) values ($1, $2, $3, $4, $5) returning id`, [coopId, p.name, p.description, p.origin, now]),
        );
        productIds.push(productId);
        for (const [i, [name, price, grams, stock]] of p.skus.entries()) {
          await tx.query(`insert into skus (product_id, name, price_fen, weight_grams, stock, position) values ($1, $2, $3, $4, $5, $6)`, [productId, name, price, grams, stock, i]);
        }
      }
    }
    const [aksuApple, liApple, chengWalnut] = productIds;
    // One live room, opened twenty minutes ago, with a product pinned and a little chat.
    const live = await idOf(
      tx.query(
        `insert into rooms (host_id, title, description, status, opened_at, pinned_product_id, like_count, created_at, updated_at)
         values ($1, $2, $3, 'live', $4, $5, 1280, $4, $4) returning id`,
        [users.get('hostAksu'), '红旗坡果园直播：冰糖心苹果现摘现发', '果园里现场摘、现场切，看得见的糖心。', new Date(now.getTime() - 20 * 60_000), aksuApple],
      ),
    );
    await tx.query(`insert into room_products (room_id, product_id, position) values ($1, $2, 0)`, [live, aksuApple]);
    const chat: [DemoUserKey, string][] = [
      ['viewer', '去年买过，真的甜！'],
      ['viewer2', '能发上海吗？'],
      ['hostAksu', '全国包邮，新疆发货三到五天到～'],
    ];
    for (const [i, [who, text]] of chat.entries()) {
      await tx.query(`insert into chat_messages (room_id, user_id, text, created_at) values ($1, $2, $3, $4)`, [live, users.get(who), text, new Date(now.getTime() - (3 - i) * 60_000)]);
    }
    // One room scheduled for tomorrow evening: the hail-apple drive.
    const tomorrow = new Date(now.getTime() + 24 * 3_600_000);
    const scheduled = await idOf(
      tx.query(
        `insert into rooms (host_id, title, description, status, scheduled_at, created_at, updated_at) values ($1, $2, $3, 'scheduled', $4, $5, $5) returning id`,
        [users.get('hostLongnan'), '礼县冰雹苹果助农专场', '果面有疤，甜度不减。县里的书记也来直播间帮忙。', tomorrow, now],
      ),
    );
    for (const [i, pid] of [liApple, chengWalnut].entries()) {
      await tx.query(`insert into room_products (room_id, product_id, position) values ($1, $2, $3)`, [scheduled, pid, i]);
    }
    await seedDemoAccounts(tx, { createdBy: users.get('official')!, now });
  });
  return true;
}

async function insertProducer(
  tx: Queryable,
  p: { kind: 'household' | 'cooperative'; name: string; county: string; village: string; lowIncome: boolean; coop: string | null },
): Promise<string> {
  return idOf(
    tx.query(`insert into producers (kind, name, county_id, village_id, low_income, cooperative_id) values ($1, $2, $3, $4, $5, $6) returning id`, [
      p.kind, p.name, p.county, p.village, p.lowIncome, p.coop,
    ]),
  );
}
