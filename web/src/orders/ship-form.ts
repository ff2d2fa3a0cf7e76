import { ShipOrderBodySchema, type ShipOrderBody } from '@farmlive/shared';

/** Couriers hosts in the counties use most; any other name may be typed. */
export const COURIERS = ['顺丰速运', '中国邮政', 'EMS', '京东物流', '中通快递', '圆通速递', '韵达快递', '申通快递', '极兔速递'] as const;

/** The shipping body, or which field is wrong, by the server's own schema. */
export function checkShipping(courier: string, trackingNo: string): { ok: true; body: ShipOrderBody } | { ok: false; field: 'courier' | 'trackingNo' } {
  const parsed = ShipOrderBodySchema.safeParse({ courier: courier.trim(), trackingNo: trackingNo.trim() });
  if (parsed.success) return { ok: true, body: parsed.data };
  return { ok: false, field: parsed.error.issues[0]?.path[0] === 'courier' ? 'courier' : 'trackingNo' };
}
