import type { ClaimResult, FlashSale, Order, PaymentStarted, Room } from '@farmlive/shared';
import { expireSale, FLASH_QUEUES } from '../flash-sales/flash-sales.jobs';
import { ManualClock } from '../platform/clock';
import { phones, startTestApp, type TestApp } from '../../test/support/app';
import { dbKinds } from '../../test/support/db';
import { api, newKey, testAddress } from '../../test/support/flash';
import { connect, disconnectAll, next, sleep } from '../../test/support/sockets';

// Real services on a shared machine: allow more than jest's default 5 s per test.
jest.setTimeout(30_000);

describe.each(dbKinds)('orders on %s', (db) => {
  const clock = new ManualClock();
  let app: TestApp;
  let host: string;
  let viewer: string;
  let viewer2: string;
  let sale: FlashSale;

  beforeAll(async () => {
    app = await startTestApp({ db, clock });
    host = (await app.signIn(phones.hostAksu)).token;
    viewer = (await app.signIn(phones.viewer)).token;
    viewer2 = (await app.signIn(phones.viewer2)).token;
    const room = (await api<Room[]>(app, null, 'GET', '/api/rooms?status=live')).body[0]!;
    const product = (await api<{ skus: { id: string }[] }>(app, null, 'GET', `/api/products/${room.productIds[0]}`)).body;
    sale = (
      await api<FlashSale>(app, host, 'POST', '/api/flash-sales', {
        roomId: room.id, skuId: product.skus[0]!.id, priceFen: 1990, quantity: 10, perBuyerLimit: 5, paymentWindowSeconds: 300, durationSeconds: 86_400, startsAt: clock.now().toISOString(),
      })
    ).body;
  }, 30_000);
  afterEach(() => disconnectAll());
  afterAll(() => app.close());

  const reserve = async (token = viewer) => {
    const r = await api<ClaimResult>(app, token, 'POST', `/api/flash-sales/${sale.id}/claims`, { quantity: 1, idempotencyKey: newKey() });
    if (r.status !== 201) throw new Error(`claim failed: ${JSON.stringify(r.body)}`);
    return r.body.reservation.id;
  };
  const paid = async (token = viewer) => {
    const id = await reserve(token);
    await api(app, token, 'PUT', `/api/orders/${id}/address`, testAddress);
    const started = await api<PaymentStarted>(app, token, 'POST', `/api/orders/${id}/pay`);
    await api(app, null, 'POST', `/api/payments/sandbox/${started.body.paymentId}/complete`, { outcome: 'success' });
    return id;
  };
  const stock = async () => (await api<FlashSale>(app, null, 'GET', `/api/flash-sales/${sale.id}`)).body.stock;
  const order = async (id: string, token = viewer) => (await api<Order>(app, token, 'GET', `/api/orders/${id}`)).body;

  it('shows the buyer their order page and list, with what they may do next; nobody else sees it', async () => {
    const id = await reserve();
    const page = await order(id);
    expect(page).toMatchObject({
      id, status: 'reserved', saleId: sale.id, quantity: 1, totalFen: 1990, address: null, shipping: null,
      expiresAt: new Date(clock.now().getTime() + 300_000).toISOString(), actions: ['pay', 'cancel', 'setAddress'],
    });
    expect(page.items).toEqual([{ skuId: sale.sku.id, productName: sale.product.name, skuName: sale.sku.name, quantity: 1, unitPriceFen: 1990 }]);
    expect((await api<Order[]>(app, viewer, 'GET', '/api/orders?status=reserved')).body.map((o) => o.id)).toContain(id);
    expect((await api<Order[]>(app, viewer, 'GET', '/api/orders?status=paid')).body.map((o) => o.id)).not.toContain(id);
    expect((await api(app, viewer2, 'GET', `/api/orders/${id}`)).code).toBe('ORDER_NOT_FOUND');
    expect((await api(app, null, 'GET', '/api/orders')).code).toBe('UNAUTHENTICATED');
    expect((await api(app, viewer, 'GET', '/api/orders?status=lost')).code).toBe('VALIDATION_FAILED');
  });

  it("takes a flash order's item from its sale, and an order's own item rows where it has them (orders from before 0105)", async () => {
    const id = await reserve();
    // A reservation is one row: its item is the sale's, not a row of its own.
    expect((await app.deps.db.query(`select count(*)::int as n from order_items where order_id = $1`, [id]))[0]!.n).toBe(0);
    expect((await order(id)).items).toEqual([{ skuId: sale.sku.id, productName: sale.product.name, skuName: sale.sku.name, quantity: 1, unitPriceFen: 1990 }]);
    await app.deps.db.query(
      `insert into order_items (order_id, sku_id, product_name, sku_name, quantity, unit_price_fen) values ($1, $2, '旧苹果', '旧规格', 1, 1890)`,
      [id, sale.sku.id],
    );
    expect((await order(id)).items).toEqual([{ skuId: sale.sku.id, productName: '旧苹果', skuName: '旧规格', quantity: 1, unitPriceFen: 1890 }]);
  });

  it('lets the buyer cancel a reservation once; its unit goes back on sale', async () => {
    const before = await stock();
    const id = await reserve();
    expect((await api(app, viewer2, 'POST', `/api/orders/${id}/cancel`)).code).toBe('ORDER_NOT_FOUND');
    const cancelled = await api<Order>(app, viewer, 'POST', `/api/orders/${id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', actions: [] });
    expect((await api(app, viewer, 'POST', `/api/orders/${id}/cancel`)).code).toBe('ORDER_INVALID_TRANSITION');
    expect(await stock()).toEqual(before);
    expect((await api(app, viewer, 'POST', `/api/orders/${id}/pay`)).code).toBe('ORDER_NOT_PAYABLE');
  });

  it('expires unpaid reservations at their deadline, exactly once, and tells the buyer', async () => {
    const before = await stock();
    const id = await reserve(viewer2);
    const buyer = await connect(app.url, viewer2);
    const told = next(buyer, 'order:updated', (p) => p.orderId === id);
    clock.advance(299_000);
    await expireSale(app.services.orders, app.services.scheduler, sale.id);
    expect((await order(id, viewer2)).status).toBe('reserved');
    clock.advance(1_000);
    const due = await app.deps.db.query(`select id from orders where status = 'reserved' and expires_at <= $1`, [clock.now()]);
    expect(due.map((r) => r.id)).toContain(id);
    // Two sweeps at once (the sale's job and the minute sweep): each reservation expires once.
    const [a, b] = await Promise.all([app.services.orders.expireDue(sale.id), app.services.orders.expireDue(null)]);
    expect(a + b).toBe(due.length);
    expect(await told).toEqual({ orderId: id, status: 'expired', saleId: sale.id });
    expect(await order(id, viewer2)).toMatchObject({ status: 'expired', expiresAt: null, actions: [] });
    expect(await stock()).toMatchObject({ reserved: before.reserved - (due.length - 1), sold: before.sold });
    expect((await api(app, viewer2, 'POST', `/api/orders/${id}/cancel`)).code).toBe('ORDER_EXPIRED');
  });

  it('puts each claim\'s expiry in a durable job, and the worker expires what is due', async () => {
    const id = await reserve();
    const jobs = await app.deps.db.query(`select data, start_after from pgboss.job where name = $1 and data->>'saleId' = $2 and state = 'created'`, [FLASH_QUEUES.expire, sale.id]);
    expect(jobs.length).toBeGreaterThanOrEqual(1);
    // The job waits the payment window in real time; move our clock instead and wake the queue now.
    clock.advance(300_000);
    await app.deps.jobs.send(FLASH_QUEUES.expire, { saleId: sale.id });
    for (let i = 0; i < 100 && (await order(id)).status === 'reserved'; i++) await sleep(50);
    expect((await order(id)).status).toBe('expired');
  });

  it('lets the host list sold orders and ship, then the buyer confirm receipt; only allowed moves', async () => {
    const id = await paid();
    const reserved = await reserve();
    const sold = await api<Order[]>(app, host, 'GET', `/api/orders/sold?saleId=${sale.id}&status=paid`);
    expect(sold.body.find((o) => o.id === id)).toMatchObject({ address: testAddress, buyer: { displayName: '北京张阿姨' }, actions: ['ship', 'refund'] });
    expect((await api(app, viewer, 'GET', '/api/orders/sold')).code).toBe('FORBIDDEN');

    const ship = { courier: '顺丰速运', trackingNo: 'SF1234567890' };
    expect((await api(app, host, 'POST', `/api/orders/${reserved}/ship`, ship)).code).toBe('ORDER_INVALID_TRANSITION');
    expect((await api(app, viewer, 'POST', `/api/orders/${id}/ship`, ship)).code).toBe('ORDER_NOT_FOUND');
    expect((await api(app, host, 'POST', `/api/orders/${id}/ship`, { courier: '顺丰', trackingNo: 'x' })).code).toBe('VALIDATION_FAILED');
    expect((await api(app, viewer, 'POST', `/api/orders/${id}/complete`)).code).toBe('ORDER_INVALID_TRANSITION');
    const buyer = await connect(app.url, viewer);
    const told = next(buyer, 'order:updated', (p) => p.orderId === id && p.status === 'shipped');
    const shipped = await api<Order>(app, host, 'POST', `/api/orders/${id}/ship`, ship);
    expect(shipped.body).toMatchObject({ status: 'shipped', shipping: ship, actions: ['deliver'] });
    await told;
    expect((await api(app, host, 'POST', `/api/orders/${id}/ship`, ship)).code).toBe('ORDER_INVALID_TRANSITION');
    expect((await api(app, viewer, 'PUT', `/api/orders/${id}/address`, testAddress)).code).toBe('ORDER_INVALID_TRANSITION');
    expect((await api<Order>(app, host, 'POST', `/api/orders/${id}/deliver`)).body.status).toBe('delivered');
    expect((await api<Order>(app, viewer, 'POST', `/api/orders/${id}/complete`)).body).toMatchObject({ status: 'completed', actions: [] });
    expect((await api(app, viewer, 'POST', `/api/orders/${id}/complete`)).code).toBe('ORDER_INVALID_TRANSITION');
    expect((await api(app, host, 'POST', `/api/orders/${id}/refund`)).code).toBe('ORDER_INVALID_TRANSITION');
  });

  it('lets the host refund a paid order; its payment is refunded and its unit stays sold', async () => {
    const id = await paid(viewer2);
    const before = await stock();
    expect((await api(app, viewer2, 'POST', `/api/orders/${id}/refund`)).code).toBe('ORDER_NOT_FOUND');
    expect((await api<Order>(app, host, 'POST', `/api/orders/${id}/refund`)).body.status).toBe('refunded');
    const payments = await app.deps.db.query(`select status from payments where order_id = $1`, [id]);
    expect(payments.map((p) => p.status)).toEqual(['refunded']);
    expect(await stock()).toEqual(before);
  });

  it('ends the sale at its end time, by the job or by the sweep', async () => {
    expect(await app.services.sales.endIfDue(sale.id)).toEqual(new Date(sale.endsAt!));
    clock.set(new Date(sale.endsAt!));
    expect(await app.services.sales.endDue()).toBe(1);
    expect((await api<FlashSale>(app, null, 'GET', `/api/flash-sales/${sale.id}`)).body).toMatchObject({ phase: 'ended', endReason: 'time' });
    expect(await app.services.sales.endIfDue(sale.id)).toBeNull();
  });
});
