import type { Logger } from 'pino';
import type { ClaimBody, ClaimResult, CreateFlashSaleBody, FlashSale, FlashSaleEndReason, FlashSaleStock, Reconciliation, StartFlashSaleBody, User } from '@farmlive/shared';
import type { Clock } from '../platform/clock';
import type { Db } from '../platform/db/db';
import { AppError } from '../platform/errors';
import type { RoomBroadcaster, RoomsService } from '../rooms/rooms.service';
import { toFlashSale } from './flash-sale-view';
import { createFlashSalesRepo, type SaleRecord } from './flash-sales.repo';
import type { StockLedger } from './ledger/stock-ledger';
import type { StockBroadcaster } from './stock-broadcast';

/** Durable timers for a sale (pg-boss jobs; flash-sales.jobs.ts). */
export interface FlashSaleScheduler {
  /** Ends the sale at its end time. */
  endAt(saleId: string, endsAt: Date): Promise<void>;
  /** Expires the sale's unpaid reservations from this deadline on. */
  expireAt(saleId: string, deadline: Date): Promise<void>;
}

export interface FlashSalesService {
  create(host: User, body: CreateFlashSaleBody): Promise<FlashSale>;
  get(user: User | null, id: string): Promise<FlashSale>;
  listForRoom(user: User | null, roomId: string): Promise<FlashSale[]>;
  listMine(host: User): Promise<FlashSale[]>;
  announce(user: User, id: string): Promise<FlashSale>;
  start(user: User, id: string, body: StartFlashSaleBody): Promise<FlashSale>;
  end(user: User, id: string): Promise<FlashSale>;
  /** One claim, from the socket or HTTP alike. */
  claim(user: User | null, saleId: string, body: ClaimBody): Promise<ClaimResult>;
  /** A reservation of the sale was paid, expired or cancelled: tell the room, end the sale when every unit is paid for. */
  afterSettle(saleId: string, stock: FlashSaleStock | null): Promise<void>;
  /** Ends one sale if its end time has come; answers when it should be checked again. */
  endIfDue(saleId: string): Promise<Date | null>;
  endDue(): Promise<number>;
  endForRoom(roomId: string, reason: FlashSaleEndReason): Promise<void>;
  reconcile(user: User | null, saleId: string, repair: boolean): Promise<Reconciliation>;
  reconcileRecent(): Promise<Reconciliation[]>;
}

interface Deps {
  db: Db;
  clock: Clock;
  log: Logger;
  ledger: StockLedger;
  rooms: RoomsService;
  broadcast: RoomBroadcaster;
  stock: StockBroadcaster;
  scheduler: FlashSaleScheduler;
}

const isAdmin = (u: User | null) => !!u && u.roles.includes('admin');

export function createFlashSalesService(deps: Deps): FlashSalesService {
  const { clock, ledger, log } = deps;
  const repo = createFlashSalesRepo(deps.db);
  // A sale's room never changes: remember it, so claims do not read it each time.
  const roomOf = new Map<string, string>();

  const view = async (s: SaleRecord) => toFlashSale(s, await ledger.counts(s.id), clock.now());
  const find = async (id: string) => {
    const s = await repo.get(id);
    if (!s) throw new AppError('FLASH_SALE_NOT_FOUND');
    roomOf.set(s.id, s.roomId);
    return s;
  };
  const own = async (user: User, id: string) => {
    const s = await find(id);
    if (s.hostId !== user.id && !isAdmin(user)) throw new AppError('FLASH_SALE_NOT_HOST');
    return s;
  };
  const announceToRoom = async (s: SaleRecord) => {
    const v = await view(s);
    if (s.status !== 'draft') deps.broadcast.toRoom(s.roomId, 'flashSale:updated', v);
    return v;
  };

  /** An ended sale's unsold units go back to the sku; a failure is retried by reconciliation. */
  const returnUnsold = (id: string) =>
    repo.returnUnsold(id).catch((err) => {
      log.error({ err, saleId: id }, 'could not give unsold units back to the sku; reconciliation will');
      return 0;
    });

  const endBy = async (id: string, reason: FlashSaleEndReason) => {
    const ended = await repo.end(id, reason, clock.now());
    if (!ended) return null;
    await ledger.refresh(id).catch((err) => log.error({ err, id }, 'ledger missed the end of a sale; the database guard still refuses claims'));
    await returnUnsold(id);
    log.info({ saleId: id, reason }, 'flash sale ended');
    return announceToRoom(ended);
  };

  return {
    async create(host, body) {
      const room = await deps.rooms.get(body.roomId);
      if (room.host.id !== host.id && !isAdmin(host)) throw new AppError('FLASH_SALE_NOT_HOST');
      if (room.status === 'closed') throw new AppError('ROOM_CLOSED');
      const sku = await repo.sku(body.skuId);
      if (!sku || !room.productIds.includes(sku.product_id)) throw new AppError('FLASH_SALE_SKU_NOT_IN_ROOM');
      const now = clock.now();
      const startsAt = body.startsAt ? new Date(body.startsAt) : null;
      if (startsAt && startsAt < now) throw new AppError('FLASH_SALE_START_IN_PAST');
      const id = await repo.insert({
        roomId: room.id,
        hostId: room.host.id,
        sku,
        priceFen: body.priceFen,
        quantity: body.quantity,
        perBuyerLimit: body.perBuyerLimit,
        durationSeconds: body.durationSeconds,
        paymentWindowSeconds: body.paymentWindowSeconds,
        status: body.announce || startsAt ? 'announced' : 'draft',
        startsAt,
        now,
      });
      // The sku had fewer units than the sale (another sale may have just taken them).
      if (!id) throw new AppError('FLASH_SALE_QUANTITY_EXCEEDS_STOCK', undefined, { stock: (await repo.sku(body.skuId))?.stock ?? 0 });
      await ledger.open(id);
      const sale = await find(id);
      if (sale.endsAt) await deps.scheduler.endAt(id, sale.endsAt);
      return announceToRoom(sale);
    },

    get: async (user, id) => {
      const s = await find(id);
      if (s.status === 'draft' && s.hostId !== user?.id && !isAdmin(user)) throw new AppError('FLASH_SALE_NOT_FOUND');
      return view(s);
    },

    async listForRoom(user, roomId) {
      const room = await deps.rooms.get(roomId);
      const sales = await repo.byRoom(roomId, room.host.id === user?.id || isAdmin(user));
      return Promise.all(sales.map(view));
    },

    listMine: async (host) => Promise.all((await repo.byHost(host.id, 100)).map(view)),

    async announce(user, id) {
      const s = await own(user, id);
      if (!(await repo.announce(id, clock.now()))) throw new AppError(s.status === 'ended' ? 'FLASH_SALE_ENDED' : 'FLASH_SALE_INVALID_TRANSITION');
      return announceToRoom(await find(id));
    },

    async start(user, id, body) {
      const s = await own(user, id);
      const now = clock.now();
      if (!(await repo.schedule(id, new Date(now.getTime() + body.countdownSeconds * 1000), now))) {
        throw new AppError(s.status === 'ended' ? 'FLASH_SALE_ENDED' : 'FLASH_SALE_INVALID_TRANSITION');
      }
      await ledger.refresh(id);
      const sale = await find(id);
      await deps.scheduler.endAt(id, sale.endsAt!);
      return announceToRoom(sale);
    },

    async end(user, id) {
      await own(user, id);
      const v = await endBy(id, 'host');
      if (!v) throw new AppError('FLASH_SALE_ENDED');
      return v;
    },

    async claim(user, saleId, body) {
      if (!user) throw new AppError('UNAUTHENTICATED');
      const input = { saleId, buyerId: user.id, key: body.idempotencyKey, quantity: body.quantity, now: clock.now() };
      const out = await ledger.claim(input).catch((err) => {
        if (err instanceof AppError) throw err;
        log.error({ err, saleId }, 'the stock ledger failed a claim');
        throw new AppError('FLASH_SALE_LEDGER_UNAVAILABLE');
      });
      if (!out.ok) throw new AppError(out.code, undefined, out.details);
      const r = out.reservation;
      if (!out.replayed) {
        const roomId = roomOf.get(saleId) ?? (await find(saleId)).roomId;
        deps.stock.touch(saleId, roomId);
        deps.scheduler.expireAt(saleId, r.expiresAt).catch((err) => log.error({ err, saleId }, 'could not schedule expiry; the sweep will expire it'));
      }
      return {
        replayed: out.replayed,
        reservation: { id: r.id, saleId, quantity: r.quantity, unitPriceFen: r.unitPriceFen, totalFen: r.unitPriceFen * r.quantity, expiresAt: r.expiresAt.toISOString() },
      };
    },

    async afterSettle(saleId, stock) {
      const roomId = roomOf.get(saleId) ?? (await find(saleId)).roomId;
      deps.stock.touch(saleId, roomId);
      if (stock && stock.sold >= stock.quantity) await endBy(saleId, 'sold_out');
      // A unit that an ended sale's reservation gave back belongs to the sku again (a no-op while the sale is open).
      else await returnUnsold(saleId);
    },

    async endIfDue(saleId) {
      const s = await repo.get(saleId);
      if (!s || s.status === 'ended' || !s.endsAt) return null;
      if (s.endsAt > clock.now()) return s.endsAt;
      await endBy(saleId, 'time');
      return null;
    },

    async endDue() {
      const ids = await repo.dueToEnd(clock.now(), 200);
      for (const id of ids) await endBy(id, 'time');
      return ids.length;
    },

    async endForRoom(roomId, reason) {
      for (const id of await repo.openInRoom(roomId)) await endBy(id, reason);
    },

    async reconcile(user, saleId, repair) {
      if (!isAdmin(user)) throw new AppError('FORBIDDEN');
      await find(saleId);
      return ledger.reconcile(saleId, { repair, graceMs: 5 * 60_000, now: clock.now() });
    },

    async reconcileRecent() {
      const reports: Reconciliation[] = [];
      for (const id of await repo.recent(clock.now())) {
        reports.push(await ledger.reconcile(id, { repair: true, graceMs: 5 * 60_000, now: clock.now() }));
        await returnUnsold(id);
      }
      return reports;
    },
  };
}
