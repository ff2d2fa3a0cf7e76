import type { Product, Room } from '@farmlive/shared';
import { dbKinds } from '../../test/support/db';
import { phones, startTestApp, type TestApp } from '../../test/support/app';
import { connect, disconnectAll, next, ok } from '../../test/support/sockets';

describe.each(dbKinds)('room lifecycle over HTTP on %s', (db) => {
  let app: TestApp;
  let host: string;
  let otherHost: string;
  let viewer: string;
  let myProducts: Product[];
  beforeAll(async () => {
    app = await startTestApp({ db });
    host = (await app.signIn(phones.hostLongnan)).token;
    otherHost = (await app.signIn(phones.hostAksu)).token;
    viewer = (await app.signIn(phones.viewer)).token;
    myProducts = (await app.app.inject({ method: 'GET', url: '/api/products?mine=true', headers: { authorization: `Bearer ${host}` } })).json() as Product[];
  });
  afterEach(() => disconnectAll());
  afterAll(() => app.close());

  const req = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, token?: string, payload?: object) =>
    app.app.inject({ method, url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const code = (res: { json(): unknown }) => (res.json() as { error?: { code: string } }).error?.code;

  it("lists a host's own products: those of the cooperatives they sell for", () => {
    expect(myProducts.map((p) => p.name).sort()).toEqual(['成县纸皮核桃', '礼县冰雹苹果（果面有疤 口感不减）'].sort());
    expect(myProducts[0]!.producer.kind).toBe('cooperative');
  });

  it('creates, schedules, opens and closes a room; viewers see it listed while live or upcoming', async () => {
    const at = '2026-12-01T11:30:00.000Z';
    const created = await req('POST', '/api/rooms', host, { title: '核桃开口笑', productIds: [myProducts[0]!.id], scheduledAt: at });
    expect(created.statusCode).toBe(201);
    const room = created.json() as Room;
    expect(room).toMatchObject({ status: 'scheduled', scheduledAt: at, productIds: [myProducts[0]!.id], host: { displayName: '陇南果农王大哥' } });
    expect(((await req('GET', '/api/rooms?status=scheduled')).json() as Room[]).map((r) => r.id)).toContain(room.id);

    const viewerSocket = await connect(app.url, viewer);
    await ok(viewerSocket, 'room:join', { roomId: room.id }); // the waiting room is open before the stream
    const wentLive = next(viewerSocket, 'room:statusChanged', (p) => p.status === 'live');
    const opened = (await req('POST', `/api/rooms/${room.id}/open`, host)).json() as Room;
    expect(opened.status).toBe('live');
    expect(opened.openedAt).not.toBeNull();
    await wentLive;
    const upcoming = (await req('GET', '/api/rooms')).json() as Room[];
    expect(upcoming.findIndex((r) => r.id === room.id)).toBeLessThan(upcoming.findIndex((r) => r.status === 'scheduled'));

    const ended = next(viewerSocket, 'room:statusChanged', (p) => p.status === 'closed');
    expect(((await req('POST', `/api/rooms/${room.id}/close`, host)).json() as Room).status).toBe('closed');
    await ended;
    expect(((await req('GET', '/api/rooms')).json() as Room[]).map((r) => r.id)).not.toContain(room.id);
    expect(code(await req('POST', `/api/rooms/${room.id}/open`, host))).toBe('ROOM_INVALID_TRANSITION');
    expect(code(await req('PATCH', `/api/rooms/${room.id}`, host, { title: '再来' }))).toBe('ROOM_CLOSED');
  });

  it('edits a room and drops the pin when the pinned product leaves the room', async () => {
    const room = (await req('POST', '/api/rooms', host, { title: '两样都卖', productIds: myProducts.map((p) => p.id) })).json() as Room;
    const s = await connect(app.url, host);
    await ok(s, 'room:join', { roomId: room.id });
    await ok(s, 'room:pin', { roomId: room.id, productId: myProducts[1]!.id });
    const edited = (await req('PATCH', `/api/rooms/${room.id}`, host, { title: '只卖一样', productIds: [myProducts[0]!.id], scheduledAt: null })).json() as Room;
    expect(edited).toMatchObject({ title: '只卖一样', productIds: [myProducts[0]!.id], pinnedProductId: null, scheduledAt: null });
  });

  it('refuses room creation to viewers, foreign products, and changes by another host', async () => {
    expect(code(await req('POST', '/api/rooms', viewer, { title: '我也想播' }))).toBe('FORBIDDEN');
    expect(code(await req('POST', '/api/rooms', undefined, { title: '匿名' }))).toBe('UNAUTHENTICATED');
    const foreign = (await req('GET', '/api/products?mine=true', otherHost)).json() as Product[];
    const res = await req('POST', '/api/rooms', host, { title: '借别人的货', productIds: [foreign[0]!.id] });
    expect(code(res)).toBe('ROOM_PRODUCT_NOT_ALLOWED');
    const mine = (await req('POST', '/api/rooms', host, { title: '我的直播间' })).json() as Room;
    expect(code(await req('POST', `/api/rooms/${mine.id}/open`, otherHost))).toBe('ROOM_NOT_HOST');
    expect(code(await req('PUT', `/api/rooms/${mine.id}/banned-words`, viewer, { words: ['x'] }))).toBe('ROOM_NOT_HOST');
    expect(code(await req('GET', '/api/rooms/00000000-0000-4000-8000-000000000000'))).toBe('ROOM_NOT_FOUND');
    expect(code(await req('GET', '/api/rooms/not-a-uuid'))).toBe('VALIDATION_FAILED');
  });

  it('rejects malformed room bodies with the field named', async () => {
    for (const body of [{ title: '' }, { title: 'x'.repeat(61) }, { title: 'ok', scheduledAt: 'tomorrow' }, { title: 'ok', productIds: ['nope'] }, { title: 'ok', host: 'me' }]) {
      const res = await req('POST', '/api/rooms', host, body);
      expect(res.statusCode).toBe(400);
      expect(code(res)).toBe('VALIDATION_FAILED');
    }
  });

  it('lets the host appoint a moderator who may then moderate', async () => {
    const room = (await req('POST', '/api/rooms', host, { title: '有场控' })).json() as Room;
    const modUser = await app.signIn('13600000005');
    expect((await req('POST', `/api/rooms/${room.id}/moderators`, host, { userId: modUser.user.id })).statusCode).toBe(204);
    expect(((await req('GET', `/api/rooms/${room.id}/moderators`, host)).json() as { id: string }[]).map((m) => m.id)).toEqual([modUser.user.id]);
    const s = await connect(app.url, modUser.token);
    const joined = await ok(s, 'room:join', { roomId: room.id });
    expect(joined.canModerate).toBe(true);
    expect(code(await req('POST', `/api/rooms/${room.id}/moderators`, host, { userId: '00000000-0000-4000-8000-000000000000' }))).toBe('USER_NOT_FOUND');
  });
});
