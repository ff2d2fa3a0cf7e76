import type { FlashSale, FlashSalePhase, FlashSaleStock } from '@farmlive/shared';
import type { SaleRecord } from './flash-sales.repo';

/** The phase a card shows, from the stored status and the times, at `now`. */
export function phaseOf(s: Pick<SaleRecord, 'status' | 'startsAt' | 'endsAt'>, now: Date): FlashSalePhase {
  if (s.status === 'ended') return 'ended';
  if (s.status === 'draft') return 'draft';
  if (!s.startsAt || !s.endsAt) return 'announced';
  if (now < s.startsAt) return 'countdown';
  return now < s.endsAt ? 'live' : 'ended';
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The sale as clients see it; the stock comes from the ledger. */
export function toFlashSale(s: SaleRecord, stock: FlashSaleStock | null, now: Date): FlashSale {
  const st = stock ?? { quantity: s.quantity, remaining: s.quantity, reserved: 0, sold: 0 };
  const phase = phaseOf(s, now);
  return {
    id: s.id,
    roomId: s.roomId,
    product: { id: s.productId, name: s.productName, photo: s.photo },
    sku: { id: s.skuId, name: s.skuName, weightGrams: s.weightGrams },
    priceFen: s.priceFen,
    listPriceFen: s.listPriceFen,
    quantity: s.quantity,
    perBuyerLimit: s.perBuyerLimit,
    durationSeconds: s.durationSeconds,
    paymentWindowSeconds: s.paymentWindowSeconds,
    phase,
    startsAt: iso(s.startsAt),
    endsAt: iso(s.endsAt),
    endedAt: iso(s.endedAt),
    // A sale past its end time whose end job has not run yet still shows why it ended.
    endReason: s.endReason ?? (phase === 'ended' ? 'time' : null),
    stock: st,
    soldOut: st.remaining === 0,
    serverTime: now.toISOString(),
  };
}
