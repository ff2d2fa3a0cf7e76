import type { ClaimResult, FlashSale, Order, Payment, PaymentStarted, Room } from '@farmlive/shared';
import { expireSale } from '../flash-sales/flash-sales.jobs';
import { ManualClock } from '../platform/clock';
import { phones, startTestApp, type TestApp } from '../../test/support/app';
import type { DbKind } from '../../test/support/db';
import { api, dropFlashKeys, newKey, testAddress } from '../../test/support/flash';
import { connect, disconnectAll, next, ok, record, sleep } from '../../test/support/sockets';

// Real services on a shared machine: allow more than jest's default 5 s per test.
jest.setTimeout(30_000);

const setups: [string, DbKind, boolean][] = [
  ['sql ledger on pglite', 'pglite', false],
  ['sql ledger on postgres', 'postgres', false],
  ['redis ledger on postgres', 'postgres', true],
];

describe.each(setups)('payments: %s', (_name, db, redis) => {
  const clock = new ManualClock();
  let app: TestApp;
  let room: Room;
  let host: string;
  let viewer: string;
  let viewer2: string;
  let sale: FlashSale;

  beforeAll(async () => {
    app = await startTestApp({ db, redis, clock });
    host = (await app.signIn(phones.hostAksu)).token;
    viewer = (await app.signIn(phones.viewer)).token;
    viewer2 = (await app.signIn(phones.viewer2)).token;
    room = (await api<Room[]>(app, null, 'GET', '/api/rooms?status=live')).body[0]!;
    const product = (await api<{ skus: { id: string }[] }>(app, null, 'GET', `/api/products/${room.productIds[0]}`)).body;
    sale = (
      await api<FlashSale>(app, host, 'POST', '/api/flash-sales', {
        roomId: room.id, skuId: product.skus[0]!.id, priceFen: 2990, quantity: 8, perBuyerLimit: 8, paymentWindowSeconds: 600, durationSeconds: 7 * 86_400, startsAt: clock.now().toISOString(),
      })
    ).body;
  }, 30_000);
  afterEach(() => disconnectAll());
  afterAll(async () => {
    await dropFlashKeys(app);
    await app.close();
  });

  const reserve = async (token = viewer, withAddress = true) => {
    const r = await api<ClaimResult>(app, token, 'POST', `/api/flash-sales/${sale.id}/claims`, { quantity: 1, idempotencyKey: newKey() });
    if (r.status !== 201) throw new Error(`claim failed: ${JSON.stringify(r.body)}`);
    if (withAddress) await api(app, token, 'PUT', `/api/orders/${r.body.reservation.id}/address`, testAddress);
    return r.body.reservation.id;
  };
  const pay = (orderId: string, token = viewer) => api<PaymentStarted>(app, token, 'POST', `/api/orders/${orderId}/pay`);
  const complete = (paymentId: string, outcome: 'success' | 'fail') => api<Payment>(app, null, 'POST', `/api/payments/sandbox/${paymentId}/complete`, { outcome });
  const notify = (n: { headers: Record<string, string>; body: string }) =>
    app.app.inject({ method: 'POST', url: '/api/payments/notify/sandbox', headers: { ...n.headers, 'content-type': 'application/json' }, payload: n.body });
  const stock = async () => (await api<FlashSale>(app, null, 'GET', `/api/flash-sales/${sale.id}`)).body.stock;
  const status = async (orderId: string) => (await api<Order>(app, viewer, 'GET', `/api/orders/${orderId}`)).body.status;

  it('turns a reservation into a paid order through the sandbox pay page; the buyer and the room hear of it', async () => {
    const orderId = await reserve(viewer, false);
    expect((await pay(orderId)).code).toBe('ORDER_ADDRESS_REQUIRED');
    for (const bad of [{ ...testAddress, phone: '12345678901' }, { ...testAddress, province: '纳尼亚' }, { ...testAddress, detail: '近' }, { ...testAddress, extra: 1 }, { ...testAddress, name: '' }]) {
      expect((await api(app, viewer, 'PUT', `/api/orders/${orderId}/address`, bad)).code).toBe('VALIDATION_FAILED');
    }
    expect((await api(app, viewer2, 'PUT', `/api/orders/${orderId}/address`, testAddress)).code).toBe('ORDER_NOT_FOUND');
    expect((await api<Order>(app, viewer, 'PUT', `/api/orders/${orderId}/address`, testAddress)).body.address).toEqual(testAddress);

    expect((await pay(orderId, viewer2)).code).toBe('ORDER_NOT_FOUND');
    const started = await pay(orderId);
    expect(started.body).toMatchObject({ orderId, amountFen: 2990, provider: 'sandbox', payUrl: `/api/payments/sandbox/${started.body.paymentId}` });
    expect((await pay(orderId)).body.paymentId).toBe(started.body.paymentId);
    const page = await app.app.inject({ method: 'GET', url: started.body.payUrl });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('¥29.90');

    const buyer = await connect(app.url, viewer);
    const watcher = await connect(app.url);
    await ok(watcher, 'room:join', { roomId: room.id });
    const told = next(buyer, 'order:updated', (p) => p.orderId === orderId);
    const ticker = next(watcher, 'flashSale:purchased', (p) => p.saleId === sale.id);
    const done = await complete(started.body.paymentId, 'success');
    expect(done.body.status).toBe('succeeded');
    expect(await told).toEqual({ orderId, status: 'paid', saleId: sale.id });
    const t = await ticker;
    expect(Object.keys(t).sort()).toEqual(['at', 'quantity', 'roomId', 'saleId']); // nothing about who
    expect(t.quantity).toBe(1);
    expect(await status(orderId)).toBe('paid');
    expect(await stock()).toMatchObject({ reserved: 0, sold: 1 });

    expect((await pay(orderId)).code).toBe('ORDER_ALREADY_PAID');
    expect((await complete(started.body.paymentId, 'success')).code).toBe('PAYMENT_ALREADY_COMPLETED');
  });

  it('refuses forged, replayed, stale and wrong-amount notifications, and changes nothing', async () => {
    const orderId = await reserve();
    const { paymentId } = (await pay(orderId)).body;
    const before = await stock();
    const sandbox = app.services.sandbox;
    const good = sandbox.notification({ paymentId, outcome: 'success', amountFen: 2990 }, clock.now());
    const forged = { headers: { ...good.headers, 'sandboxpay-signature': Buffer.from('x'.repeat(32)).toString('base64') }, body: good.body };
    const tampered = { headers: good.headers, body: good.body.replace('2990', '1') };
    const unsigned = { headers: {}, body: good.body };
    for (const [n, code] of [[forged, 'PAYMENT_SIGNATURE_INVALID'], [tampered, 'PAYMENT_SIGNATURE_INVALID'], [unsigned, 'PAYMENT_SIGNATURE_INVALID']] as const) {
      const res = await notify(n);
      expect([res.statusCode, (res.json() as { error: { code: string } }).error.code]).toEqual([401, code]);
    }
    const stale = sandbox.notification({ paymentId, outcome: 'success', amountFen: 2990 }, new Date(clock.now().getTime() - 10 * 60_000));
    expect((await notify(stale)).json()).toMatchObject({ error: { code: 'PAYMENT_NOTIFICATION_STALE' } });
    const cheap = sandbox.notification({ paymentId, outcome: 'success', amountFen: 1 }, clock.now());
    expect((await notify(cheap)).json()).toMatchObject({ error: { code: 'PAYMENT_AMOUNT_MISMATCH' } });
    expect(await status(orderId)).toBe('reserved');
    expect(await stock()).toEqual(before);

    const first = await notify(good);
    expect([first.statusCode, first.json()]).toEqual([200, { code: 'SUCCESS', message: 'OK' }]);
    const replay = await notify(good);
    expect([replay.statusCode, (replay.json() as { error: { code: string } }).error.code]).toEqual([409, 'PAYMENT_NOTIFICATION_REPLAYED']);
    // The provider's own retry (a new nonce) is welcome and changes nothing more.
    const retry = await notify(sandbox.notification({ paymentId, outcome: 'success', amountFen: 2990 }, clock.now()));
    expect(retry.statusCode).toBe(200);
    expect(await status(orderId)).toBe('paid');
    expect(await stock()).toEqual({ ...before, reserved: before.reserved - 1, sold: before.sold + 1 });
    const payments = await app.deps.db.query(`select status from payments where order_id = $1`, [orderId]);
    expect(payments.map((p) => p.status)).toEqual(['succeeded']);
  });

  it('keeps a declined payment\'s reservation payable; refuses paying after the deadline', async () => {
    const orderId = await reserve();
    const first = (await pay(orderId)).body.paymentId;
    expect((await complete(first, 'fail')).body.status).toBe('failed');
    expect(await status(orderId)).toBe('reserved');
    const second = (await pay(orderId)).body.paymentId;
    expect(second).not.toBe(first);
    clock.advance(600_000);
    expect((await pay(orderId)).code).toBe('ORDER_EXPIRED');
    await expireSale(app.services.orders, app.services.scheduler, sale.id);
    expect(await status(orderId)).toBe('expired');
    expect((await pay(orderId)).code).toBe('ORDER_EXPIRED');
  });

  it('refunds a payment that arrives after the reservation expired; the stock stays exact', async () => {
    const orderId = await reserve();
    const { paymentId } = (await pay(orderId)).body;
    const before = await stock();
    clock.advance(600_000);
    await expireSale(app.services.orders, app.services.scheduler, sale.id);
    expect(await stock()).toEqual({ ...before, remaining: before.remaining + 1, reserved: before.reserved - 1 });
    const late = await complete(paymentId, 'success');
    expect(late.body.status).toBe('refunded');
    expect(await status(orderId)).toBe('expired');
    expect(await stock()).toEqual({ ...before, remaining: before.remaining + 1, reserved: before.reserved - 1 });
  });

  it('settles a payment racing its expiry exactly once', async () => {
    for (let round = 0; round < 3; round++) {
      const orderId = await reserve();
      const { paymentId } = (await pay(orderId)).body;
      const before = await stock();
      clock.advance(600_000);
      const [paid] = await Promise.all([complete(paymentId, 'success'), expireSale(app.services.orders, app.services.scheduler, sale.id)]);
      const after = await stock();
      const final = await status(orderId);
      if (final === 'paid') {
        expect(paid.body.status).toBe('succeeded');
        expect(after).toEqual({ ...before, reserved: before.reserved - 1, sold: before.sold + 1 });
      } else {
        expect(final).toBe('expired');
        expect(paid.body.status).toBe('refunded');
        expect(after).toEqual({ ...before, reserved: before.reserved - 1, remaining: before.remaining + 1 });
      }
    }
  });

  it('ends the sale by itself once every unit is paid for', async () => {
    const watcher = await connect(app.url);
    await ok(watcher, 'room:join', { roomId: room.id });
    const updates = record(watcher, 'flashSale:updated');
    const left = (await stock()).remaining;
    for (let i = 0; i < left; i++) {
      const orderId = await reserve(i % 2 ? viewer : viewer2);
      const { paymentId } = (await pay(orderId, i % 2 ? viewer : viewer2)).body;
      await complete(paymentId, 'success');
    }
    for (let i = 0; i < 50 && !updates.some((u) => u.id === sale.id && u.phase === 'ended'); i++) await sleep(20);
    expect(updates.find((u) => u.id === sale.id && u.phase === 'ended')).toMatchObject({ endReason: 'sold_out', soldOut: true, stock: { remaining: 0, reserved: 0, sold: 8 } });
    expect((await api(app, viewer, 'POST', `/api/flash-sales/${sale.id}/claims`, { quantity: 1, idempotencyKey: newKey() })).code).toBe('FLASH_SALE_ENDED');
  });
});
