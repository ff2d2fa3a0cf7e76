import { AddressSchema, canTransition, orderTransitions, OrderStatusSchema } from './orders';

describe('order status machine', () => {
  it('lets a reservation only be paid, cancelled or expire, and never leaves a final status', () => {
    expect(orderTransitions.reserved).toEqual(['paid', 'cancelled', 'expired']);
    for (const final of ['completed', 'cancelled', 'expired', 'refunded'] as const) {
      for (const to of OrderStatusSchema.options) expect(canTransition(final, to)).toBe(false);
    }
    expect(canTransition('paid', 'shipped')).toBe(true);
    expect(canTransition('reserved', 'shipped')).toBe(false);
    expect(canTransition('shipped', 'paid')).toBe(false);
    expect(canTransition('expired', 'paid')).toBe(false);
  });
});

describe('delivery address', () => {
  const ok = { name: '张阿姨', phone: '13600000001', province: '北京市', city: '北京市', district: '朝阳区', detail: '建国路88号院3号楼' };
  it('accepts a mainland address and refuses what is not one', () => {
    expect(AddressSchema.parse({ ...ok, name: '  张阿姨 ' }).name).toBe('张阿姨');
    for (const bad of [
      { ...ok, phone: '1360000000' },
      { ...ok, phone: '23600000001' },
      { ...ok, province: '香港特别行政区' },
      { ...ok, province: '北京' },
      { ...ok, city: '' },
      { ...ok, district: 'x'.repeat(21) },
      { ...ok, detail: '短' },
      { ...ok, detail: '建国路\u0000号' },
      { ...ok, extra: 1 },
    ]) {
      expect(AddressSchema.safeParse(bad).success).toBe(false);
    }
  });
});
