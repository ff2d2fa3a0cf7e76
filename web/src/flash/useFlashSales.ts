import { HELD_STATUSES, type Ack, type ClaimResult, type FlashSale, type Purchased, type Reservation, type ServerToClientEvents, type StockChanged } from '@farmlive/shared';
import { onUnmounted, reactive, shallowRef } from 'vue';
import { session } from '../session';
import { emitAck, getSocket } from '../socket/client';
import { ordersApi } from '../orders/api';
import { ClaimKeys, isRetryable, mergeList, withStock } from './sale-state';
import { learnServerTime } from './server-clock';

/** What this buyer holds in one sale, as far as this phone knows. */
export interface Mine {
  /** Units held: reserved or paid. */
  held: number;
  /** The reservation waiting for payment, if any. */
  reservation: Reservation | null;
}

/**
 * A room's flash sales kept in step over the shared socket: the list on every (re)connect,
 * `flashSale:updated` for phase changes, `flashSale:stockChanged` for stock, `order:updated` for
 * this buyer's reservations. The room page's `useRoom` joins the socket room that carries them.
 */
export function useFlashSales(roomId: string) {
  const socket = getSocket();
  const sales = shallowRef<FlashSale[]>([]);
  const mine = reactive(new Map<string, Mine>());
  const state = reactive({ claiming: null as string | null, lastPurchase: null as Purchased | null, purchases: 0 });
  const keys = new ClaimKeys();
  let inFlight: Map<string, StockChanged> | null = null;
  let listSeq = 0;

  const put = (sale: FlashSale) => {
    learnServerTime(sale.serverTime);
    const i = sales.value.findIndex((s) => s.id === sale.id);
    sales.value = i < 0 ? [sale, ...sales.value] : sales.value.map((s, j) => (j === i ? sale : s));
  };

  async function load(): Promise<void> {
    const seq = ++listSeq;
    const newer = (inFlight = new Map());
    const ack = await emitAck('flashSale:list', { roomId });
    if (seq !== listSeq) return;
    inFlight = null;
    if (!ack.ok) return;
    ack.data.forEach((s) => learnServerTime(s.serverTime));
    sales.value = mergeList(ack.data, newer);
    await loadMine();
  }

  /** This buyer's holdings in the room's sales, from their orders (after a reload, or on another phone). */
  async function loadMine(): Promise<void> {
    if (!session.user) return;
    const ids = new Set(sales.value.map((s) => s.id));
    const orders = await ordersApi.mine().catch(() => null);
    if (!orders) return;
    mine.clear();
    for (const o of orders) {
      if (!o.saleId || !ids.has(o.saleId) || !(HELD_STATUSES as readonly string[]).includes(o.status)) continue;
      const m = mine.get(o.saleId) ?? { held: 0, reservation: null };
      m.held += o.quantity;
      if (o.status === 'reserved' && o.expiresAt && o.actions.includes('pay')) {
        m.reservation = { id: o.id, saleId: o.saleId, quantity: o.quantity, unitPriceFen: o.items[0]?.unitPriceFen ?? 0, totalFen: o.totalFen, expiresAt: o.expiresAt };
      }
      mine.set(o.saleId, m);
    }
  }

  const ours = <T extends { roomId: string }>(fn: (p: T) => void) => (p: T) => p.roomId === roomId && fn(p);
  let tickerTimer: ReturnType<typeof setTimeout> | null = null;
  const handlers: { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] } = {
    'flashSale:updated': ours((sale) => put(sale)),
    'flashSale:stockChanged': ours((p) => {
      inFlight?.set(p.saleId, p);
      sales.value = sales.value.map((s) => (s.id === p.saleId ? withStock(s, p) : s));
    }),
    'flashSale:purchased': ours((p) => {
      state.lastPurchase = p;
      state.purchases += 1;
      if (tickerTimer) clearTimeout(tickerTimer);
      tickerTimer = setTimeout(() => (state.lastPurchase = null), 4_000);
    }),
    'order:updated': (p) => {
      if (!p.saleId) return;
      const m = mine.get(p.saleId);
      const r = m?.reservation;
      if (!m || !r || r.id !== p.orderId) return;
      if (p.status === 'paid') m.reservation = null;
      if (p.status === 'expired' || p.status === 'cancelled') {
        m.held = Math.max(0, m.held - r.quantity);
        m.reservation = null;
      }
    },
  };
  const onConnect = () => void load();
  socket.on('connect', onConnect);
  for (const [event, fn] of Object.entries(handlers)) socket.on(event as 'order:updated', fn as never);
  if (socket.connected) void load();

  onUnmounted(() => {
    if (tickerTimer) clearTimeout(tickerTimer);
    socket.off('connect', onConnect);
    for (const [event, fn] of Object.entries(handlers)) socket.off(event as 'order:updated', fn as never);
  });

  return {
    sales,
    mine,
    state,
    /** Adds or replaces a sale (the host's own, which drafts never broadcast). */
    put,
    reload: load,
    /**
     * One tap of Buy. A tap after a claim that got no answer sends that claim's key again (the
     * server answers the first result), so a buyer who taps twice on a bad signal holds one unit.
     */
    async claim(sale: FlashSale, quantity: number): Promise<Ack<ClaimResult>> {
      state.claiming = sale.id;
      const ack = await emitAck('flashSale:claim', { saleId: sale.id, quantity, idempotencyKey: keys.keyFor(sale.id, quantity) });
      state.claiming = null;
      if (!ack.ok && isRetryable(ack.error.code)) return ack;
      keys.answered(sale.id);
      if (ack.ok) {
        const m = mine.get(sale.id) ?? { held: 0, reservation: null };
        if (!ack.data.replayed || m.reservation?.id !== ack.data.reservation.id) m.held += ack.data.reservation.quantity;
        m.reservation = ack.data.reservation;
        mine.set(sale.id, m);
      } else if (ack.error.code === 'FLASH_SALE_LIMIT_EXCEEDED') {
        // Another phone of this buyer holds the rest: the orders say how much.
        void loadMine();
      }
      return ack;
    },
    /** The buyer's reservation is settled (paid or cancelled on this phone). */
    settled(saleId: string, paid: boolean) {
      const m = mine.get(saleId);
      if (!m?.reservation) return;
      if (!paid) m.held = Math.max(0, m.held - m.reservation.quantity);
      m.reservation = null;
    },
  };
}

export type FlashSalesHandle = ReturnType<typeof useFlashSales>;
