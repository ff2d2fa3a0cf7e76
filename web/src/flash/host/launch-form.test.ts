import { CreateFlashSaleBodySchema, StartFlashSaleBodySchema } from '@farmlive/shared';
import { checkLaunch, defaultDraft, type LaunchDraft } from './launch-form';

const ROOM = '00000000-0000-4000-8000-0000000000aa';
const SKU = '00000000-0000-4000-8000-0000000000cc';
const draft = (over: Partial<LaunchDraft> = {}): LaunchDraft => ({ ...defaultDraft(), skuId: SKU, priceYuan: '39.9', ...over });

describe('checkLaunch', () => {
  it('turns yuan into fen exactly and minutes into seconds, in a body the server schema accepts', () => {
    const r = checkLaunch(draft({ priceYuan: '19.9', quantity: '3', perBuyerLimit: '1', paymentWindowSeconds: '30', durationMinutes: '15' }), ROOM);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.plan.body).toMatchObject({ roomId: ROOM, skuId: SKU, priceFen: 1990, quantity: 3, perBuyerLimit: 1, durationSeconds: 900, paymentWindowSeconds: 30, announce: false });
    expect(CreateFlashSaleBodySchema.safeParse(r.plan.body).success).toBe(true);
    expect(r.plan.countdownSeconds).toBe(0);
    expect(checkLaunch(draft({ priceYuan: '0.29' }), ROOM)).toMatchObject({ ok: true, plan: { body: { priceFen: 29 } } });
  });

  it('starts after a countdown, or only announces', () => {
    const c = checkLaunch(draft({ start: 'countdown', countdownSeconds: '90' }), ROOM);
    expect(c).toMatchObject({ ok: true, plan: { countdownSeconds: 90, body: { announce: false } } });
    if (c.ok) expect(StartFlashSaleBodySchema.safeParse({ countdownSeconds: c.plan.countdownSeconds }).success).toBe(true);
    expect(checkLaunch(draft({ start: 'later' }), ROOM)).toMatchObject({ ok: true, plan: { countdownSeconds: null, body: { announce: true } } });
  });

  it('names each bad field: no sku, a malformed or zero price, zero, negative or fractional numbers, a limit above the quantity', () => {
    const bad = checkLaunch(
      draft({ skuId: '', priceYuan: '3.999', quantity: '0', perBuyerLimit: '1.5', durationMinutes: '-1', paymentWindowSeconds: '5', start: 'countdown', countdownSeconds: 'abc' }),
      ROOM,
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(Object.keys(bad.problems).sort()).toEqual(['countdownSeconds', 'durationMinutes', 'paymentWindowSeconds', 'perBuyerLimit', 'priceYuan', 'quantity', 'skuId']);
    expect(bad.problems.paymentWindowSeconds).toEqual({ kind: 'range', min: 10, max: 7200 });
    expect(checkLaunch(draft({ priceYuan: '0' }), ROOM)).toMatchObject({ ok: false, problems: { priceYuan: { kind: 'price' } } });
    expect(checkLaunch(draft({ quantity: '2', perBuyerLimit: '3' }), ROOM)).toMatchObject({ ok: false, problems: { perBuyerLimit: { kind: 'limitOverQuantity' } } });
  });
});
