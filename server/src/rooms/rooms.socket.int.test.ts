import type { Room } from '@farmlive/shared';
import { dbKinds } from '../../test/support/db';
import { phones, startTestApp, type TestApp } from '../../test/support/app';
import { call, connect, disconnectAll, next, ok, record, sleep } from '../../test/support/sockets';

describe.each(dbKinds)('room sockets on %s', (db) => {
  let app: TestApp;
  let room: Room;
  let hostToken: string;
  let viewerToken: string;
  let viewer2Token: string;

  beforeAll(async () => {
    app = await startTestApp({ db });
    hostToken = (await app.signIn(phones.hostAksu)).token;
    viewerToken = (await app.signIn(phones.viewer)).token;
    viewer2Token = (await app.signIn(phones.viewer2)).token;
    const rooms = (await app.app.inject({ method: 'GET', url: '/api/rooms?status=live' })).json() as Room[];
    room = rooms[0]!;
  });
  afterEach(() => disconnectAll());
  afterAll(() => app.close());

  const join = async (token?: string) => {
    const s = await connect(app.url, token);
    const joined = await ok(s, 'room:join', { roomId: room.id });
    return { s, joined };
  };

  it('join returns the room, the pinned product, recent chat and a viewer count', async () => {
    const { joined } = await join(viewerToken);
    expect(joined.room.id).toBe(room.id);
    expect(joined.pinned?.name).toBe('阿克苏冰糖心苹果');
    expect(joined.pinned?.fromPriceFen).toBe(3990);
    expect(joined.history.map((m) => m.text)).toEqual(['去年买过，真的甜！', '能发上海吗？', '全国包邮，新疆发货三到五天到～']);
    expect(joined.viewerCount).toBeGreaterThanOrEqual(1);
    expect(joined.canModerate).toBe(false);
  });

  it('broadcasts the live viewer count as people join and leave', async () => {
    const a = await join(viewerToken);
    const counts = record(a.s, 'room:viewerCount');
    const b = await join(viewer2Token);
    await next(a.s, 'room:viewerCount', (p) => p.count === 2);
    b.s.disconnect();
    await next(a.s, 'room:viewerCount', (p) => p.count === 1);
    expect(counts.every((c) => c.roomId === room.id)).toBe(true);
  });

  it('delivers chat to everyone in the room, and history includes it for the next joiner', async () => {
    const a = await join(viewerToken);
    const b = await join(viewer2Token);
    const seen = next(b.s, 'room:message', (m) => m.text === '要两箱');
    const sent = await ok(a.s, 'room:chat', { roomId: room.id, text: '  要两箱 ' });
    expect(sent.text).toBe('要两箱');
    expect(sent.user.displayName).toBe('北京张阿姨');
    expect((await seen).id).toBe(sent.id);
    const c = await join();
    expect(c.joined.history.at(-1)?.id).toBe(sent.id);
  });

  it('aggregates likes: many taps become one broadcast with the new total', async () => {
    const a = await join(viewerToken);
    const b = await join(viewer2Token);
    const likes = record(b.s, 'room:likes');
    for (let i = 0; i < 10; i++) a.s.emit('room:like', { roomId: room.id, count: 3 });
    const first = await next(b.s, 'room:likes');
    await sleep(150);
    const delta = likes.reduce((sum, l) => sum + l.delta, 0);
    expect(delta).toBe(30);
    expect(likes.length).toBeLessThanOrEqual(3); // ticks of 50 ms, not 10 broadcasts
    expect(first.total).toBeGreaterThanOrEqual(1280 + first.delta);
  });

  it('pins a product: every viewer sees the card at once', async () => {
    const host = await join(hostToken);
    expect(host.joined.canModerate).toBe(true);
    const viewer = await join(viewerToken);
    const unpinned = next(viewer.s, 'room:productPinned', (p) => p.product === null);
    await ok(host.s, 'room:pin', { roomId: room.id, productId: null });
    await unpinned;
    const pinned = next(viewer.s, 'room:productPinned', (p) => p.product !== null);
    const ack = await ok(host.s, 'room:pin', { roomId: room.id, productId: room.productIds[0] });
    expect(ack.product?.skus).toHaveLength(2);
    expect((await pinned).product?.id).toBe(room.productIds[0]);
  });

  it('refuses host actions from a viewer with ROOM_NOT_HOST and keeps the connection', async () => {
    const viewer = await join(viewerToken);
    const ack = await call(viewer.s, 'room:pin', { roomId: room.id, productId: null });
    expect(ack).toEqual({ ok: false, error: expect.objectContaining({ code: 'ROOM_NOT_HOST' }) });
    const mute = await call(viewer.s, 'room:mute', { roomId: room.id, userId: room.host.id, minutes: 5 });
    expect(mute.ok || mute.error.code).toBe('ROOM_NOT_HOST');
    expect((await call(viewer.s, 'room:chat', { roomId: room.id, text: '还在' })).ok).toBe(true);
  });

  it('removes a message for everyone when the host removes it', async () => {
    const host = await join(hostToken);
    const viewer = await join(viewerToken);
    const other = await join(viewer2Token);
    const msg = await ok(viewer.s, 'room:chat', { roomId: room.id, text: '加微信私聊更便宜' });
    const gone = next(other.s, 'room:messageRemoved', (p) => p.messageId === msg.id);
    await ok(host.s, 'room:removeMessage', { roomId: room.id, messageId: msg.id });
    await gone;
    const late = await join();
    expect(late.joined.history.map((m) => m.id)).not.toContain(msg.id);
  });

  it('mutes a viewer: their next message is refused with CHAT_MUTED, others still chat', async () => {
    const host = await join(hostToken);
    const viewer = await join(viewer2Token);
    const told = next(viewer.s, 'room:muted');
    const target = (await app.signIn(phones.viewer2)).user.id;
    await ok(host.s, 'room:mute', { roomId: room.id, userId: target, minutes: 10 });
    expect((await told).until).not.toBeNull();
    const ack = await call(viewer.s, 'room:chat', { roomId: room.id, text: '我被禁言了吗' });
    expect(ack.ok ? 'ok' : ack.error.code).toBe('CHAT_MUTED');
    await ok(host.s, 'room:unmute', { roomId: room.id, userId: target });
    expect((await call(viewer.s, 'room:chat', { roomId: room.id, text: '解除了' })).ok).toBe(true);
  });
});

describe('room sockets: refusals', () => {
  let app: TestApp;
  let room: Room;
  beforeAll(async () => {
    app = await startTestApp({ env: { CHAT_RATE_MESSAGES: '3', CHAT_RATE_WINDOW_SECONDS: '60' } });
    room = ((await app.app.inject({ method: 'GET', url: '/api/rooms?status=live' })).json() as Room[])[0]!;
  });
  afterEach(() => disconnectAll());
  afterAll(() => app.close());

  const code = (ack: { ok: boolean; error?: { code: string } }) => (ack.ok ? 'ok' : ack.error!.code);

  it('refuses to join a room that does not exist, or is closed', async () => {
    const s = await connect(app.url);
    expect(code(await call(s, 'room:join', { roomId: '00000000-0000-4000-8000-000000000000' }))).toBe('ROOM_NOT_FOUND');
    const host = await app.signIn(phones.hostLongnan);
    const created = await app.app.inject({ method: 'POST', url: '/api/rooms', headers: { authorization: `Bearer ${host.token}` }, payload: { title: '测试' } });
    const closedId = (created.json() as Room).id;
    await app.app.inject({ method: 'POST', url: `/api/rooms/${closedId}/close`, headers: { authorization: `Bearer ${host.token}` } });
    expect(code(await call(s, 'room:join', { roomId: closedId }))).toBe('ROOM_CLOSED');
  });

  it('answers malformed, unknown-field and oversized payloads with VALIDATION_FAILED and keeps working', async () => {
    const { token } = await app.signIn(phones.viewer);
    const s = await connect(app.url, token);
    expect(code(await call(s, 'room:join', { roomId: 'not-an-id' }))).toBe('VALIDATION_FAILED');
    expect(code(await call(s, 'room:join', { roomId: room.id, extra: 1 }))).toBe('VALIDATION_FAILED');
    expect(code(await call(s, 'room:join', 'just a string'))).toBe('VALIDATION_FAILED');
    expect(code(await call(s, 'room:join', null))).toBe('VALIDATION_FAILED');
    await ok(s, 'room:join', { roomId: room.id });
    expect(code(await call(s, 'room:chat', { roomId: room.id, text: 'x'.repeat(20_000) }))).toBe('VALIDATION_FAILED');
    expect(code(await call(s, 'room:chat', { roomId: room.id, text: '长'.repeat(201) }))).toBe('CHAT_TOO_LONG');
    expect(code(await call(s, 'room:chat', { roomId: room.id, text: '   ' }))).toBe('CHAT_EMPTY');
    expect(code(await call(s, 'room:like', { roomId: room.id, count: 1e9 }))).toBe('VALIDATION_FAILED');
    const unknown = await (s.timeout(2000) as unknown as { emitWithAck(e: string, p: unknown): Promise<{ ok: boolean; error?: { code: string } }> }).emitWithAck('room:explode', {});
    expect(code(unknown)).toBe('UNKNOWN_EVENT');
    expect(s.connected).toBe(true);
    expect(code(await call(s, 'room:chat', { roomId: room.id, text: '还能聊' }))).toBe('ok');
  });

  it('reports failures of events sent without an ack as app:error', async () => {
    const s = await connect(app.url);
    const err = next(s, 'app:error');
    s.emit('room:like', { roomId: room.id, count: 1 });
    expect(await err).toEqual(expect.objectContaining({ code: 'ROOM_NOT_JOINED', event: 'room:like' }));
  });

  it('requires sign-in to chat, and refuses chat in a room not joined', async () => {
    const anon = await connect(app.url);
    await ok(anon, 'room:join', { roomId: room.id });
    expect(code(await call(anon, 'room:chat', { roomId: room.id, text: '你好' }))).toBe('UNAUTHENTICATED');
    const { token } = await app.signIn(phones.viewer2);
    const s = await connect(app.url, token);
    expect(code(await call(s, 'room:chat', { roomId: room.id, text: '你好' }))).toBe('ROOM_NOT_JOINED');
  });

  it('refuses a connection with an unknown session token', async () => {
    await expect(connect(app.url, 'forged-token')).rejects.toThrow('UNAUTHENTICATED');
  });

  it('limits a chat flood per user with CHAT_RATE_LIMITED and stores only what was accepted', async () => {
    const { token, user } = await app.signIn('13600000009');
    const s = await connect(app.url, token);
    await ok(s, 'room:join', { roomId: room.id });
    const acks = await Promise.all(Array.from({ length: 20 }, (_, i) => call(s, 'room:chat', { roomId: room.id, text: `刷屏${i}` })));
    expect(acks.filter((a) => a.ok)).toHaveLength(3);
    expect(acks.filter((a) => !a.ok).every((a) => code(a) === 'CHAT_RATE_LIMITED')).toBe(true);
    const stored = await app.deps.db.query(`select count(*)::int as n from chat_messages where user_id = $1`, [user.id]);
    expect(stored[0]!.n).toBe(3);
  });

  it('refuses banned words, also when written full-width or spaced out', async () => {
    const host = await app.signIn(phones.hostAksu);
    const put = await app.app.inject({ method: 'PUT', url: `/api/rooms/${room.id}/banned-words`, headers: { authorization: `Bearer ${host.token}` }, payload: { words: ['微信', 'vx'] } });
    expect(put.statusCode).toBe(200);
    const { token } = await app.signIn('13600000008');
    const s = await connect(app.url, token);
    await ok(s, 'room:join', { roomId: room.id });
    expect(code(await call(s, 'room:chat', { roomId: room.id, text: '加我微 信' }))).toBe('CHAT_BANNED_WORD');
    expect(code(await call(s, 'room:chat', { roomId: room.id, text: '加ＶＸ便宜' }))).toBe('CHAT_BANNED_WORD');
    expect(code(await call(s, 'room:chat', { roomId: room.id, text: '苹果真好' }))).toBe('ok');
  });

  it('removes a viewer: they leave the room at once and cannot join again', async () => {
    const host = await app.signIn(phones.hostAksu);
    const hs = await connect(app.url, host.token);
    await ok(hs, 'room:join', { roomId: room.id });
    const target = await app.signIn('13600000007');
    const ts = await connect(app.url, target.token);
    await ok(ts, 'room:join', { roomId: room.id });
    const removed = next(ts, 'room:removed');
    await ok(hs, 'room:removeUser', { roomId: room.id, userId: target.user.id });
    await removed;
    expect(code(await call(ts, 'room:chat', { roomId: room.id, text: '我回来了' }))).toBe('ROOM_NOT_JOINED');
    expect(code(await call(ts, 'room:join', { roomId: room.id }))).toBe('ROOM_BANNED');
    expect(code(await call(hs, 'room:removeUser', { roomId: room.id, userId: host.user.id }))).toBe('FORBIDDEN');
  });
});
