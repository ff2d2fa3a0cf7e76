import type { FlashSale, Order, Product, Room } from '@farmlive/shared';
import type { Locator, Page } from 'playwright-core';
import { phones, startTestApp, type TestApp } from '../support/app';
import { assertWebBuilt, attrOnceEquals, launchBrowser, signInWithToken, textOnceIncludes, type TestBrowser } from '../support/browser';
import { api } from '../support/flash';

// Two payment windows pass in this test on a machine other suites load too: allow minutes.
jest.setTimeout(240_000);

/** Short enough that the lapse happens inside the test, long enough for a loaded machine to fill an address and pay. */
const PAYMENT_WINDOW_SECONDS = 30;

/**
 * A flash sale through the built pages in Chromium, against the real server and its real expiry
 * job: the host launches 3 units from the live page; three viewers buy; a fourth sees sold out;
 * one buyer lets the payment window lapse, the unit returns and the fourth viewer buys it; the
 * host ships an order.
 */
describe('flash sale pages in Chromium', () => {
  let app: TestApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    app = await startTestApp({ env: { WEB_DIST: assertWebBuilt() } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const expectAttr = async (loc: Locator, name: string, value: string, timeoutMs = 20_000) => expect(await attrOnceEquals(loc, name, value, timeoutMs)).toBe(value);
  const expectText = async (loc: Locator, text: string) => expect(await textOnceIncludes(loc, text, 20_000)).toContain(text);

  /** A signed-in person on a page of their own. */
  const person = async (phone: string) => {
    const page = await browser.newPerson();
    await signInWithToken(page, app.url, (await app.signIn(phone)).token);
    return page;
  };

  const fillAddress = async (page: Page, name: string, phone: string) => {
    const form = page.getByTestId('address-form');
    await form.getByTestId('address-name').locator('input').fill(name);
    await form.getByTestId('address-phone').locator('input').fill(phone);
    await form.getByTestId('address-province').selectOption('甘肃省');
    await form.getByTestId('address-city').locator('input').fill('陇南市');
    await form.getByTestId('address-district').locator('input').fill('成县');
    await form.getByTestId('address-detail').locator('textarea').fill('城关镇西大街12号');
  };

  /** Buy on the room page, fill the address, pay on the sandbox page; ends on the paid order page. Answers the order id. */
  const buyAndPay = async (page: Page, name: string, phone: string): Promise<string> => {
    const buy = page.getByTestId('flash-buy');
    await expectAttr(buy, 'data-state', 'buy');
    await buy.click();
    const checkout = page.getByTestId('checkout');
    await checkout.waitFor();
    const orderId = (await checkout.getAttribute('data-order-id'))!;
    await fillAddress(page, name, phone);
    await page.getByTestId('checkout-pay').click();
    await page.waitForURL(`**/api/payments/sandbox/**`);
    expect(await page.getByTestId('amount').textContent()).toContain('¥19.90');
    await page.locator('#pay').click();
    await page.waitForURL(`**/orders/${orderId}`);
    await expectAttr(page.getByTestId('order-status'), 'data-status', 'paid');
    return orderId;
  };

  it('the host sells 3 units; three viewers buy, a fourth sees sold out, a lapsed payment returns a unit that the fourth then buys', async () => {
    // A fresh live room with the Aksu apples, so the room's sales are this test's alone.
    const host = await app.signIn(phones.hostAksu);
    const products = (await api<Product[]>(app, host.token, 'GET', '/api/products?mine=true')).body;
    const product = products.find((p) => p.skus.some((s) => s.stock >= 10))!;
    const sku = product.skus.find((s) => s.stock >= 10)!;
    const room = (await api<Room>(app, host.token, 'POST', '/api/rooms', { title: '秒杀测试场', productIds: [product.id] })).body;
    expect((await api(app, host.token, 'POST', `/api/rooms/${room.id}/open`)).status).toBe(200);

    // The host launches the sale from the live page: 19.9 yuan, 3 units, 1 per buyer, a short payment window, now.
    const hostPage = await person(phones.hostAksu);
    await hostPage.goto(`${app.url}/host/rooms/${room.id}`);
    await expectAttr(hostPage.getByTestId('connection-state'), 'data-state', 'online');
    await hostPage.getByTestId('launch-open').click();
    await hostPage.locator(`[data-testid=launch-sku][data-sku-id="${sku.id}"]`).click();
    await hostPage.getByTestId('launch-price').locator('input').fill('19.9');
    await hostPage.getByTestId('launch-quantity').locator('input').fill('3');
    await hostPage.getByTestId('launch-limit').locator('input').fill('1');
    await hostPage.getByTestId('launch-window').locator('input').fill(String(PAYMENT_WINDOW_SECONDS));
    await hostPage.getByTestId('launch-start-now').click();
    await hostPage.getByTestId('launch-submit').click();
    const row = hostPage.getByTestId('host-sale');
    await expectAttr(row, 'data-phase', 'live');
    const saleId = (await row.getAttribute('data-sale-id'))!;
    const sale = (await api<FlashSale>(app, host.token, 'GET', `/api/flash-sales/${saleId}`)).body;
    expect(sale).toMatchObject({ priceFen: 1990, quantity: 3, perBuyerLimit: 1, paymentWindowSeconds: PAYMENT_WINDOW_SECONDS, phase: 'live' });
    expect(sale.sku.id).toBe(sku.id);

    // Four viewers open the room; each sees the card live with 3 left.
    const viewers = await Promise.all(['13600000021', '13600000022', '13600000023', '13600000024'].map(person));
    for (const v of viewers) {
      await v.goto(`${app.url}/rooms/${room.id}`);
      await expectAttr(v.getByTestId('flash-card'), 'data-phase', 'live');
      await expectAttr(v.getByTestId('flash-remaining'), 'data-remaining', '3');
      expect(await v.getByTestId('flash-price').textContent()).toContain('¥19.90');
    }
    const [first, second, third, fourth] = viewers as [Page, Page, Page, Page];

    // Two buy and pay; the fourth watches the stock fall as they do.
    const firstOrder = await buyAndPay(first, '王小明', '13600000021');
    await expectAttr(fourth.getByTestId('flash-remaining'), 'data-remaining', '2');
    // The payment reached the room's "someone just bought" ticker.
    await expectAttr(fourth.getByTestId('room-flash'), 'data-purchases', '1');
    const secondOrder = await buyAndPay(second, '李阿姨', '13600000022');
    await expectAttr(fourth.getByTestId('flash-remaining'), 'data-remaining', '1');

    // The third takes the last unit and does not pay.
    await expectAttr(third.getByTestId('flash-buy'), 'data-state', 'buy');
    await third.getByTestId('flash-buy').click();
    const thirdCheckout = third.getByTestId('checkout');
    await thirdCheckout.waitFor();
    const thirdOrder = (await thirdCheckout.getAttribute('data-order-id'))!;
    expect(await third.getByTestId('checkout-time-left').textContent()).toMatch(/剩余付款时间 00:[0-3]\d/);

    // The fourth sees sold out (with the hint that units come back); the host sees 2 sold and 1 held.
    await expectAttr(fourth.getByTestId('flash-remaining'), 'data-remaining', '0');
    await expectAttr(fourth.getByTestId('flash-buy'), 'data-state', 'sold-out');
    expect(await fourth.getByTestId('flash-buy').isDisabled()).toBe(true);
    await expectText(fourth.getByTestId('flash-hint'), '有人未付款时会重新放出');
    const stock = hostPage.getByTestId('host-sale-stock');
    await expectAttr(stock, 'data-sold', '2');
    await expectAttr(stock, 'data-reserved', '1');
    expect(await stock.getAttribute('data-remaining')).toBe('0');
    // The first buyer, back in the room, has reached the limit of one.
    await first.goto(`${app.url}/rooms/${room.id}`);
    await expectAttr(first.getByTestId('flash-buy'), 'data-state', 'limit');

    // The window lapses: the expiry job returns the unit; the third buyer's sheet says so, the fourth may buy again.
    const lapse = (PAYMENT_WINDOW_SECONDS + 45) * 1000;
    await expectAttr(third.getByTestId('checkout-time-left'), 'data-seconds', '0', lapse);
    await expectAttr(fourth.getByTestId('flash-buy'), 'data-state', 'buy', lapse);
    expect(await fourth.getByTestId('flash-remaining').getAttribute('data-remaining')).toBe('1');
    expect((await api<Order>(app, (await app.signIn('13600000023')).token, 'GET', `/api/orders/${thirdOrder}`)).body.status).toBe('expired');
    expect(await third.getByTestId('checkout-pay').isDisabled()).toBe(true);

    const fourthOrder = await buyAndPay(fourth, '赵大哥', '13600000024');

    // All three units paid: the sale ends as sold out, for the host and in the room.
    await expectAttr(row, 'data-phase', 'ended');
    await expectAttr(stock, 'data-sold', '3');
    await expectAttr(second.getByTestId('order-status'), 'data-status', 'paid');
    await expectAttr(third.getByTestId('flash-buy'), 'data-state', 'ended');
    await expectText(third.getByTestId('flash-time'), '已售罄');
    const final = (await api<FlashSale>(app, host.token, 'GET', `/api/flash-sales/${saleId}`)).body;
    expect(final).toMatchObject({ phase: 'ended', endReason: 'sold_out', stock: { quantity: 3, remaining: 0, reserved: 0, sold: 3 } });
    const sold = (await api<Order[]>(app, host.token, 'GET', `/api/orders/sold?saleId=${saleId}`)).body;
    expect(sold.map((o) => [o.id, o.status]).sort()).toEqual(
      [
        [firstOrder, 'paid'],
        [secondOrder, 'paid'],
        [thirdOrder, 'expired'],
        [fourthOrder, 'paid'],
      ].sort(),
    );

    // The buyer's orders page lists the order as paid.
    await first.goto(`${app.url}/`);
    await first.getByTestId('my-orders-link').click(); // from the room list, as a buyer would
    await first.waitForURL('**/orders');
    await expectAttr(first.locator(`[data-testid=order-card][data-order-id="${firstOrder}"] [data-testid=order-status]`), 'data-status', 'paid');

    // The host ships the first order from the orders page; the buyer's order page shows it shipped.
    await first.goto(`${app.url}/orders/${firstOrder}`);
    await expectAttr(first.getByTestId('order-status'), 'data-status', 'paid');
    await hostPage.getByTestId('host-orders-link').click();
    await hostPage.waitForURL('**/host/orders');
    const card = hostPage.locator(`[data-testid=host-order][data-order-id="${firstOrder}"]`);
    await expectAttr(card, 'data-status', 'paid');
    expect(await hostPage.getByTestId('host-order').count()).toBe(3);
    await card.getByTestId('order-ship').click();
    await hostPage.getByTestId('ship-tracking').locator('input').fill('SF1234567890');
    await hostPage.getByTestId('ship-submit').click();
    await expectAttr(card, 'data-status', 'shipped');
    await expectAttr(first.getByTestId('order-status'), 'data-status', 'shipped');
    await expectText(first.getByTestId('order-shipping'), 'SF1234567890');
    const shipped = (await api<Order>(app, host.token, 'GET', `/api/orders/${firstOrder}`)).body;
    expect(shipped.shipping).toEqual({ courier: '顺丰速运', trackingNo: 'SF1234567890' });

    // The host refunds the second order (paid, not shipped) after confirming; the buyer sees it refunded.
    const refundCard = hostPage.locator(`[data-testid=host-order][data-order-id="${secondOrder}"]`);
    expect(await card.getByTestId('order-refund').count()).toBe(0); // shipped orders are not refunded here
    await refundCard.getByTestId('order-refund').click();
    await hostPage.locator('.van-dialog__confirm').click();
    await expectAttr(refundCard, 'data-status', 'refunded');
    await second.goto(`${app.url}/orders/${secondOrder}`);
    await expectAttr(second.getByTestId('order-status'), 'data-status', 'refunded');
    expect((await api<Order>(app, host.token, 'GET', `/api/orders/${secondOrder}`)).body.status).toBe('refunded');

    expect(browser.pageErrors).toEqual([]);
  });

  it('a viewer who is not signed in is asked to sign in, and a claim before the start gets the countdown, not a Buy', async () => {
    const host = await app.signIn(phones.hostAksu);
    const products = (await api<Product[]>(app, host.token, 'GET', '/api/products?mine=true')).body;
    const product = products.find((p) => p.skus.some((s) => s.stock >= 10))!;
    const sku = product.skus.find((s) => s.stock >= 10)!;
    const room = (await api<Room>(app, host.token, 'POST', '/api/rooms', { title: '倒计时测试场', productIds: [product.id] })).body;
    await api(app, host.token, 'POST', `/api/rooms/${room.id}/open`);
    const created = await api<FlashSale>(app, host.token, 'POST', '/api/flash-sales', { roomId: room.id, skuId: sku.id, priceFen: 990, quantity: 5 });
    await api(app, host.token, 'POST', `/api/flash-sales/${created.body.id}/start`, { countdownSeconds: 600 });

    const anonymous = await browser.newPerson();
    await anonymous.goto(`${app.url}/rooms/${room.id}`);
    await expectAttr(anonymous.getByTestId('flash-card'), 'data-phase', 'countdown');
    await expectAttr(anonymous.getByTestId('flash-buy'), 'data-state', 'countdown');
    // Counted against the server's clock: at most the 10 minutes asked for, and clearly more than 9 on any machine.
    const shown = /(\d\d):(\d\d) 后开抢/.exec((await anonymous.getByTestId('flash-time').textContent()) ?? '');
    expect(shown).not.toBeNull();
    const seconds = Number(shown![1]) * 60 + Number(shown![2]);
    expect(seconds).toBeLessThanOrEqual(600);
    expect(seconds).toBeGreaterThan(480);

    // The host starts it now: the card goes live in the room and asks the anonymous viewer to sign in.
    await api(app, host.token, 'POST', `/api/flash-sales/${created.body.id}/start`, { countdownSeconds: 0 });
    await expectAttr(anonymous.getByTestId('flash-buy'), 'data-state', 'sign-in');
    await anonymous.getByTestId('flash-buy').click();
    await anonymous.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('next') === `/rooms/${room.id}`);
    expect(browser.pageErrors).toEqual([]);
  });

  it('a buyer who holds the limit on another phone is told so in their language when they tap Buy, and the card then offers to pay for what they hold', async () => {
    const host = await app.signIn(phones.hostAksu);
    const products = (await api<Product[]>(app, host.token, 'GET', '/api/products?mine=true')).body;
    const product = products.find((p) => p.skus.some((s) => s.stock >= 10))!;
    const sku = product.skus.find((s) => s.stock >= 10)!;
    const room = (await api<Room>(app, host.token, 'POST', '/api/rooms', { title: '限购测试场', productIds: [product.id] })).body;
    await api(app, host.token, 'POST', `/api/rooms/${room.id}/open`);
    const sale = (await api<FlashSale>(app, host.token, 'POST', '/api/flash-sales', { roomId: room.id, skuId: sku.id, priceFen: 990, quantity: 5, perBuyerLimit: 1 })).body;
    await api(app, host.token, 'POST', `/api/flash-sales/${sale.id}/start`, { countdownSeconds: 0 });

    // An English-speaking buyer opens the room on this phone...
    const buyer = await app.signIn('13600000031');
    const page = await browser.newPerson();
    await page.addInitScript("localStorage.setItem('farmlive.locale', 'en')");
    await signInWithToken(page, app.url, buyer.token);
    await page.goto(`${app.url}/rooms/${room.id}`);
    const buy = page.getByTestId('flash-buy');
    await expectAttr(buy, 'data-state', 'buy');
    expect(await buy.textContent()).toContain('Buy now');

    // ...and takes one unit on another (over HTTP); this page sees only the stock fall.
    const other = await api(app, buyer.token, 'POST', `/api/flash-sales/${sale.id}/claims`, { quantity: 1, idempotencyKey: 'other-phone-0001' });
    expect(other.status).toBe(201);
    await expectAttr(page.getByTestId('flash-remaining'), 'data-remaining', '4');
    await buy.click();
    await expectText(page.getByTestId('flash-message'), 'That is more than one buyer may take in this sale.');
    // The card learns what the buyer holds and offers to pay for it rather than to buy more.
    await expectAttr(buy, 'data-state', 'reserved');
    expect(await buy.textContent()).toContain('Pay now');
    expect((await api<FlashSale>(app, host.token, 'GET', `/api/flash-sales/${sale.id}`)).body.stock).toMatchObject({ remaining: 4, reserved: 1 });

    // The host ends the sale early from the live page; the buyer's card says so and still lets them pay.
    const hostPage = await browser.newPerson();
    await signInWithToken(hostPage, app.url, host.token);
    await hostPage.goto(`${app.url}/host/rooms/${room.id}`);
    const row = hostPage.locator(`[data-testid=host-sale][data-sale-id="${sale.id}"]`);
    await expectAttr(row, 'data-phase', 'live');
    await row.getByTestId('host-sale-end').click();
    await hostPage.locator('.van-dialog__confirm').click();
    await expectAttr(row, 'data-phase', 'ended');
    await expectAttr(page.getByTestId('flash-card'), 'data-phase', 'ended');
    await expectText(page.getByTestId('flash-time'), 'Ended by the host');
    expect(await buy.getAttribute('data-state')).toBe('reserved');
    expect((await api<FlashSale>(app, host.token, 'GET', `/api/flash-sales/${sale.id}`)).body).toMatchObject({ phase: 'ended', endReason: 'host' });
    expect(browser.pageErrors).toEqual([]);
  });
});
