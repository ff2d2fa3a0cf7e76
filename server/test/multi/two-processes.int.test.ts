import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Room } from '@farmlive/shared';
import { seedDemo } from '../../src/demo/seed';
import { systemClock } from '../../src/platform/clock';
import { openTestDb, type TestDb } from '../support/db';
import { TEST_REDIS_URL } from '../support/env';
import { signInVia, spawnServers, type ServerProcess } from '../support/processes';
import { connect, disconnectAll, next, ok, sleep } from '../support/sockets';

/**
 * Two real server processes on one PostgreSQL and one Redis, as a scaled deployment runs:
 * a viewer on one and a viewer on the other see the same chat, pins, counts and likes.
 */
describe('two server processes on one Redis', () => {
  let db: TestDb;
  let a: ServerProcess;
  let b: ServerProcess;
  let room: Room;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fl-two-'));

  beforeAll(async () => {
    db = await openTestDb('postgres');
    await seedDemo(db.db, systemClock);
    const env = { DATABASE_URL: db.url!, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `fltest:${randomBytes(4).toString('hex')}:`, AUTH_CODE_RESEND_SECONDS: '0' };
    [a, b] = (await spawnServers([{ ...env, DATA_DIR: path.join(dataDir, 'a') }, { ...env, DATA_DIR: path.join(dataDir, 'b') }])) as [ServerProcess, ServerProcess];
    room = ((await (await fetch(`${a.url}/api/rooms?status=live`)).json()) as Room[])[0]!;
  }, 180_000);

  afterAll(async () => {
    disconnectAll();
    const codes = await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    expect(codes).toEqual([0, 0]); // both shut down cleanly on SIGTERM
  });

  it('shares chat, viewer counts, pins, likes and moderation across the processes', async () => {
    const [host, v1, v2] = await Promise.all([signInVia(a, '13800000001'), signInVia(b, '13600000001'), signInVia(a, '13600000002')]);
    const hostSocket = await connect(a.url, host.token);
    const onA = await connect(a.url, v1.token);
    const onB = await connect(b.url, v2.token);
    await ok(hostSocket, 'room:join', { roomId: room.id });
    await ok(onA, 'room:join', { roomId: room.id });
    const counted = next(onA, 'room:viewerCount', (p) => p.count === 3, 10_000);
    await ok(onB, 'room:join', { roomId: room.id });
    await counted; // two sockets on A, one on B

    const toB = next(onB, 'room:message', (m) => m.text === '从A发来');
    await ok(onA, 'room:chat', { roomId: room.id, text: '从A发来' });
    await toB;
    const toA = next(onA, 'room:message', (m) => m.text === '从B发来');
    const fromB = await ok(onB, 'room:chat', { roomId: room.id, text: '从B发来' });
    await toA;

    const pinnedOnB = next(onB, 'room:productPinned', (p) => p.product === null);
    await ok(hostSocket, 'room:pin', { roomId: room.id, productId: null });
    await pinnedOnB;

    const removedOnA = next(onA, 'room:messageRemoved', (p) => p.messageId === fromB.id);
    await ok(hostSocket, 'room:removeMessage', { roomId: room.id, messageId: fromB.id });
    await removedOnA;

    onA.emit('room:like', { roomId: room.id, count: 5 });
    onB.emit('room:like', { roomId: room.id, count: 7 });
    const total = room.likeCount + 12;
    await Promise.all([next(onA, 'room:likes', (l) => l.total === total, 8_000), next(onB, 'room:likes', (l) => l.total === total, 8_000)]);

    const removed = next(onB, 'room:removed');
    await ok(hostSocket, 'room:removeUser', { roomId: room.id, userId: v2.user.id });
    await removed;
    await sleep(100);
    const refused = await (onB.timeout(3000) as unknown as { emitWithAck(e: string, p: unknown): Promise<{ ok: boolean; error?: { code: string } }> }).emitWithAck('room:chat', { roomId: room.id, text: '还在吗' });
    expect(refused.error?.code).toBe('ROOM_NOT_JOINED');
    await next(onA, 'room:viewerCount', (p) => p.count === 2);
  });
});
