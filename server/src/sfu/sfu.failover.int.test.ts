import type { Room } from '@farmlive/shared';
import { phones, startTestApp, type TestApp } from '../../test/support/app';
import { openLiveRoom, opusParameters, sfuEnv, vp8SimulcastParameters } from '../../test/support/media';
import { connect, disconnectAll, next, ok, type ClientSocket } from '../../test/support/sockets';

jest.setTimeout(30_000); // the project's testTimeout is not applied by jest to projects

/**
 * Two workers and one viewer per router, so that a second viewer is served through a pipe to the
 * other worker, and workers that die. The SQL here is only the room lookup that the signalling
 * suite already runs on both databases, so this suite runs on PGlite alone.
 */
describe('live video across workers', () => {
  let app: TestApp;
  let hostToken: string;

  beforeAll(async () => {
    app = await startTestApp({ env: sfuEnv(2, 1) });
    hostToken = (await app.signIn(phones.hostAksu)).token;
  });
  afterEach(() => disconnectAll());
  afterAll(() => app.close());

  const enter = async (token: string | undefined, roomId: string) => {
    const s = await connect(app.url, token);
    await ok(s, 'room:join', { roomId });
    return { s, joined: await ok(s, 'sfu:join', { roomId }) };
  };

  const publish = async (roomId: string, s?: ClientSocket) => {
    const host = s ? { s, joined: await ok(s, 'sfu:join', { roomId }) } : await enter(hostToken, roomId);
    const send = await ok(host.s, 'sfu:createTransport', { roomId, direction: 'send' });
    const video = await ok(host.s, 'sfu:produce', { roomId, transportId: send.id, kind: 'video', rtpParameters: vp8SimulcastParameters() });
    await ok(host.s, 'sfu:produce', { roomId, transportId: send.id, kind: 'audio', rtpParameters: opusParameters() });
    return { ...host, video: video.producerId };
  };

  const consumeVideo = async (v: Awaited<ReturnType<typeof enter>>, roomId: string, producerId: string) => {
    const recv = await ok(v.s, 'sfu:createTransport', { roomId, direction: 'recv' });
    return ok(v.s, 'sfu:consume', { roomId, transportId: recv.id, producerId, rtpCapabilities: v.joined.routerRtpCapabilities });
  };

  const routersOf = (roomId: string) => app.services.sfu.stats().rooms.find((r) => r.roomId === roomId)?.routers ?? [];
  const pids = () => app.services.sfu.stats().workers.map((w) => w.pid);

  let room: Room;
  it('serves a viewer beyond the router limit from an edge router on the other worker, including a host who comes back', async () => {
    room = await openLiveRoom(app, hostToken);
    const host = await publish(room.id);
    const a = await enter(undefined, room.id);
    const b = await enter(undefined, room.id);
    const routers = routersOf(room.id);
    expect(routers).toHaveLength(2);
    expect(new Set(routers.map((r) => r.workerPid)).size).toBe(2);
    expect(routers.map((r) => r.viewers)).toEqual([1, 1]);
    // Both viewers consume the same producer id: the edge holds a piped copy of it.
    expect((await consumeVideo(a, room.id, host.video)).kind).toBe('video');
    expect((await consumeVideo(b, room.id, host.video)).kind).toBe('video');

    // The host's phone reconnects: the new stream is piped to the edge too and offered to its viewer.
    const offered = next(b.s, 'sfu:newProducer', (p) => p.kind === 'video');
    const again = await publish(room.id);
    expect((await offered).producerId).toBe(again.video);
    expect((await consumeVideo(b, room.id, again.video)).producerId).toBe(again.video);

    // A third viewer: every worker already serves the room, so a router goes over its limit instead of piping twice.
    await enter(undefined, room.id);
    expect(routersOf(room.id)).toHaveLength(2);

    // The edge closes when its last viewer leaves.
    b.s.disconnect();
    await until(() => routersOf(room.id).some((r) => !r.origin && r.viewers === 0) === false);
  });

  it('when an edge worker dies, its viewers are told to rejoin and get the stream back on a replacement', async () => {
    const live = await openLiveRoom(app, hostToken, '边缘故障');
    const host = await publish(live.id);
    await enter(undefined, live.id); // fills the origin router
    const edgeViewer = await enter(undefined, live.id);
    const edge = routersOf(live.id).find((r) => !r.origin)!;
    const originPid = routersOf(live.id).find((r) => r.origin)!.workerPid;
    const told = next(edgeViewer.s, 'sfu:closed');
    const hostTold: unknown[] = [];
    host.s.on('sfu:closed', (p) => hostTold.push(p));

    process.kill(edge.workerPid, 'SIGKILL');
    expect(await told).toEqual({ roomId: live.id, reason: 'media-restarted', rejoin: true });
    await until(() => pids().every((p) => p !== null) && !pids().includes(edge.workerPid));

    const rejoined = await ok(edgeViewer.s, 'sfu:join', { roomId: live.id });
    expect(rejoined.producers.map((p) => p.producerId)).toContain(host.video);
    expect((await consumeVideo({ s: edgeViewer.s, joined: rejoined }, live.id, host.video)).kind).toBe('video');
    expect(routersOf(live.id).find((r) => r.origin)?.workerPid).toBe(originPid);
    expect(hostTold).toEqual([]); // the host, on the origin, never noticed
  });

  it('when the origin worker dies, the room is re-created on a live worker and everyone is told to rejoin', async () => {
    const live = await openLiveRoom(app, hostToken, '源站故障');
    const host = await publish(live.id);
    const viewer = await enter(undefined, live.id);
    const originPid = routersOf(live.id)[0]!.workerPid;
    const hostTold = next(host.s, 'sfu:closed');
    const viewerTold = next(viewer.s, 'sfu:closed');

    process.kill(originPid, 'SIGKILL');
    expect(await hostTold).toMatchObject({ reason: 'media-restarted', rejoin: true });
    expect(await viewerTold).toMatchObject({ reason: 'media-restarted', rejoin: true });
    // Re-created at once, before anyone rejoins, on a worker that is alive.
    await until(() => routersOf(live.id).length === 1 && routersOf(live.id)[0]!.workerPid !== originPid);

    const offered = next(viewer.s, 'sfu:newProducer', (p) => p.kind === 'video');
    const rejoinedViewer = await ok(viewer.s, 'sfu:join', { roomId: live.id });
    const back = await publish(live.id, host.s);
    expect((await offered).producerId).toBe(back.video);
    expect((await consumeVideo({ s: viewer.s, joined: rejoinedViewer }, live.id, back.video)).kind).toBe('video');
    await until(() => pids().every((p) => p !== null));
  });
});

async function until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
