import type { Room, SfuJoined } from '@farmlive/shared';
import { phones, startTestApp, type TestApp } from '../../test/support/app';
import { dbKinds } from '../../test/support/db';
import { closeRoom, dtlsParameters, openLiveRoom, opusParameters, sfuEnv, vp8SimulcastParameters } from '../../test/support/media';
import { call, connect, disconnectAll, next, ok, type ClientSocket } from '../../test/support/sockets';

jest.setTimeout(30_000); // the project's testTimeout is not applied by jest to projects

describe.each(dbKinds)('live video signalling on %s', (db) => {
  let app: TestApp;
  let hostToken: string;
  let viewerToken: string;
  let room: Room;

  beforeAll(async () => {
    app = await startTestApp({ db, env: sfuEnv(1) });
    hostToken = (await app.signIn(phones.hostAksu)).token;
    viewerToken = (await app.signIn(phones.viewer)).token;
    room = await openLiveRoom(app, hostToken);
  });
  afterEach(() => disconnectAll());
  afterAll(() => app.close());

  const enter = async (token: string | undefined, roomId = room.id) => {
    const s = await connect(app.url, token);
    await ok(s, 'room:join', { roomId });
    const joined = await ok(s, 'sfu:join', { roomId });
    return { s, joined };
  };

  /** A host session that sends camera and microphone. */
  const publish = async (roomId = room.id) => {
    const { s, joined } = await enter(hostToken, roomId);
    const send = await ok(s, 'sfu:createTransport', { roomId, direction: 'send' });
    const video = await ok(s, 'sfu:produce', { roomId, transportId: send.id, kind: 'video', rtpParameters: vp8SimulcastParameters() });
    const audio = await ok(s, 'sfu:produce', { roomId, transportId: send.id, kind: 'audio', rtpParameters: opusParameters() });
    return { s, joined, send, video: video.producerId, audio: audio.producerId };
  };

  const consumeAll = async (s: ClientSocket, joined: SfuJoined, roomId = room.id) => {
    const recv = await ok(s, 'sfu:createTransport', { roomId, direction: 'recv' });
    const consumed = [];
    for (const p of joined.producers) {
      consumed.push(await ok(s, 'sfu:consume', { roomId, transportId: recv.id, producerId: p.producerId, rtpCapabilities: joined.routerRtpCapabilities }));
    }
    return { recv, consumed };
  };

  it('the host sends camera and microphone; a viewer joining later consumes both', async () => {
    const host = await publish();
    expect(host.joined.role).toBe('host');
    expect(host.joined.routerRtpCapabilities.codecs?.map((c) => c.mimeType)).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264']));
    expect(host.send.iceCandidates[0]).toMatchObject({ ip: '127.0.0.1', protocol: 'udp' });

    const viewer = await enter(viewerToken);
    expect(viewer.joined.role).toBe('viewer');
    expect(viewer.joined.producers.map((p) => p.kind).sort()).toEqual(['audio', 'video']);
    const { recv, consumed } = await consumeAll(viewer.s, viewer.joined);
    expect(consumed.map((c) => c.producerId).sort()).toEqual([host.video, host.audio].sort());
    const video = consumed.find((c) => c.kind === 'video')!;
    expect(video.rtpParameters.codecs[0]?.mimeType).toBe('video/VP8');
    await ok(viewer.s, 'sfu:connectTransport', { roomId: room.id, transportId: recv.id, dtlsParameters: dtlsParameters() });
    await ok(viewer.s, 'sfu:resumeConsumer', { roomId: room.id, consumerId: video.consumerId });
    await ok(viewer.s, 'sfu:setPreferredLayers', { roomId: room.id, consumerId: video.consumerId, spatialLayer: 0 });
    await ok(viewer.s, 'sfu:setAudioOnly', { roomId: room.id, audioOnly: true });
  });

  it('an anonymous viewer who is already watching hears of the host starting (sfu:newProducer)', async () => {
    const viewer = await enter(undefined);
    expect(viewer.joined.producers).toEqual([]);
    const heard = new Set<string>();
    viewer.s.on('sfu:newProducer', (p) => heard.add(p.kind));
    const host = await publish();
    await until(() => heard.size === 2);
    expect([...heard].sort()).toEqual(['audio', 'video']);
    expect(host.video).toBeTruthy();
  });

  it('a host who reconnects replaces the old session: viewers lose the old streams and are offered the new ones', async () => {
    const first = await publish();
    const viewer = await enter(viewerToken);
    await consumeAll(viewer.s, viewer.joined);
    const replaced = next(first.s, 'sfu:closed');
    const closedVideo = next(viewer.s, 'sfu:producerClosed', (p) => p.producerId === first.video);
    const offered = next(viewer.s, 'sfu:newProducer', (p) => p.kind === 'video');
    const second = await publish();
    expect(await replaced).toEqual({ roomId: room.id, reason: 'replaced', rejoin: false });
    await closedVideo;
    const fresh = await offered;
    expect(fresh.producerId).toBe(second.video);
    const recv = await ok(viewer.s, 'sfu:createTransport', { roomId: room.id, direction: 'recv' });
    const again = await ok(viewer.s, 'sfu:consume', { roomId: room.id, transportId: recv.id, producerId: fresh.producerId, rtpCapabilities: viewer.joined.routerRtpCapabilities });
    expect(again.kind).toBe('video');
  });

  it('refuses media before the room is joined, before sfu:join, and for a room that is not live', async () => {
    const s = await connect(app.url, viewerToken);
    expect(await code(s, 'sfu:join', { roomId: room.id })).toBe('ROOM_NOT_JOINED');
    await ok(s, 'room:join', { roomId: room.id });
    expect(await code(s, 'sfu:consume', { roomId: room.id, transportId: crypto.randomUUID(), producerId: crypto.randomUUID(), rtpCapabilities: {} })).toBe('SFU_NOT_JOINED');
    expect(await code(s, 'sfu:createTransport', { roomId: room.id, direction: 'recv' })).toBe('SFU_NOT_JOINED');

    const headers = { authorization: `Bearer ${hostToken}` };
    const scheduled = (await app.app.inject({ method: 'POST', url: '/api/rooms', headers, payload: { title: '明天的直播' } })).json() as Room;
    await ok(s, 'room:join', { roomId: scheduled.id });
    expect(await code(s, 'sfu:join', { roomId: scheduled.id })).toBe('SFU_ROOM_NOT_LIVE');
  });

  it('answers hostile signalling with error codes and leaves the worker, the room and other viewers unharmed', async () => {
    const host = await publish();
    const pidBefore = app.services.sfu.stats().workers.map((w) => w.pid);
    const viewer = await enter(viewerToken);
    const r = room.id;
    const caps = viewer.joined.routerRtpCapabilities;
    const recv = await ok(viewer.s, 'sfu:createTransport', { roomId: r, direction: 'recv' });

    // A viewer may not send.
    expect(await code(viewer.s, 'sfu:createTransport', { roomId: r, direction: 'send' })).toBe('SFU_NOT_HOST');
    expect(await code(viewer.s, 'sfu:produce', { roomId: r, transportId: recv.id, kind: 'video', rtpParameters: vp8SimulcastParameters(5000) })).toBe('SFU_NOT_HOST');
    // Another peer's transport, and ids that do not exist.
    expect(await code(viewer.s, 'sfu:connectTransport', { roomId: r, transportId: host.send.id, dtlsParameters: dtlsParameters() })).toBe('SFU_TRANSPORT_NOT_FOUND');
    expect(await code(viewer.s, 'sfu:consume', { roomId: r, transportId: host.send.id, producerId: host.video, rtpCapabilities: caps })).toBe('SFU_TRANSPORT_NOT_FOUND');
    expect(await code(viewer.s, 'sfu:consume', { roomId: r, transportId: recv.id, producerId: crypto.randomUUID(), rtpCapabilities: caps })).toBe('SFU_PRODUCER_NOT_FOUND');
    expect(await code(viewer.s, 'sfu:resumeConsumer', { roomId: r, consumerId: crypto.randomUUID() })).toBe('SFU_CONSUMER_NOT_FOUND');
    expect(await code(viewer.s, 'sfu:setProducerPaused', { roomId: r, producerId: host.video, paused: true })).toBe('SFU_PRODUCER_NOT_FOUND');
    // Capabilities that cannot play the stream.
    const noVideo = { codecs: caps.codecs?.filter((c) => c.kind === 'audio'), headerExtensions: caps.headerExtensions };
    expect(await code(viewer.s, 'sfu:consume', { roomId: r, transportId: recv.id, producerId: host.video, rtpCapabilities: noVideo })).toBe('SFU_CANNOT_CONSUME');
    // Garbage DTLS: not hex, wrong shape, unknown fields; then a real connect, and a second one.
    const garbage = [
      { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'not-a-fingerprint' }] },
      { role: 'client', fingerprints: [{ algorithm: 'md5', value: dtlsParameters().fingerprints[0]!.value }] },
      { role: 'client', fingerprints: [] },
      { role: 'boss', fingerprints: dtlsParameters().fingerprints },
      'x'.repeat(1000),
    ];
    for (const d of garbage) expect(await code(viewer.s, 'sfu:connectTransport', { roomId: r, transportId: recv.id, dtlsParameters: d })).toBe('VALIDATION_FAILED');
    expect(await code(viewer.s, 'sfu:connectTransport', { roomId: r, transportId: recv.id, dtlsParameters: dtlsParameters(), extra: 1 })).toBe('VALIDATION_FAILED');
    await ok(viewer.s, 'sfu:connectTransport', { roomId: r, transportId: recv.id, dtlsParameters: dtlsParameters() });
    expect(await code(viewer.s, 'sfu:connectTransport', { roomId: r, transportId: recv.id, dtlsParameters: dtlsParameters('CD') })).toBe('SFU_TRANSPORT_ALREADY_CONNECTED');

    // Bogus RTP parameters from the host: each refused, none reaches the worker in a form that hurts it.
    const video = vp8SimulcastParameters(7000);
    const bogus: [unknown, string][] = [
      [{ ...video, codecs: [] }, 'VALIDATION_FAILED'],
      [{ ...video, codecs: [{ ...video.codecs[0], payloadType: 300 }] }, 'VALIDATION_FAILED'],
      [{ ...video, encodings: Array(9).fill({ ssrc: 1 }) }, 'VALIDATION_FAILED'],
      [{ ...video, codecs: [{ ...video.codecs[0], mimeType: 'video/NOPE' }] }, 'SFU_RTP_PARAMETERS_INVALID'],
      [{ ...video, codecs: [video.codecs[1]] }, 'SFU_RTP_PARAMETERS_INVALID'], // rtx alone
      [{ ...video, codecs: [{ ...video.codecs[1], parameters: { apt: 55 } }, video.codecs[0]] }, 'SFU_RTP_PARAMETERS_INVALID'],
      [{ ...video, codecs: [{ ...video.codecs[0], clockRate: 48000 }] }, 'SFU_RTP_PARAMETERS_INVALID'], // VP8 is 90 kHz
      [{ ...video, codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }] }, 'SFU_RTP_PARAMETERS_INVALID'],
    ];
    const { s: host2 } = host;
    const answers = [];
    for (const [params] of bogus) {
      const send = await ok(host2, 'sfu:createTransport', { roomId: r, direction: 'send' });
      answers.push(await code(host2, 'sfu:produce', { roomId: r, transportId: send.id, kind: 'video', rtpParameters: params }));
    }
    expect(answers).toEqual(bogus.map(([, expected]) => expected));
    // An audio producer with a video codec, and producing the same kind twice.
    const send = await ok(host2, 'sfu:createTransport', { roomId: r, direction: 'send' });
    expect(await code(host2, 'sfu:produce', { roomId: r, transportId: send.id, kind: 'audio', rtpParameters: vp8SimulcastParameters(8000) })).toBe('SFU_RTP_PARAMETERS_INVALID');
    await ok(host2, 'sfu:produce', { roomId: r, transportId: send.id, kind: 'audio', rtpParameters: opusParameters(8100) });
    expect(await code(host2, 'sfu:produce', { roomId: r, transportId: send.id, kind: 'audio', rtpParameters: opusParameters(8200) })).toBe('SFU_ALREADY_PRODUCING');
    expect(await code(host2, 'sfu:consume', { roomId: r, transportId: send.id, producerId: host.video, rtpCapabilities: caps })).toBe('SFU_WRONG_DIRECTION');

    // The worker never restarted, and another viewer still gets the room's media.
    expect(app.services.sfu.stats().workers.map((w) => w.pid)).toEqual(pidBefore);
    const other = await enter(undefined);
    expect(other.joined.producers.map((p) => p.kind)).toEqual(['audio']);
    const { consumed } = await consumeAll(other.s, other.joined);
    expect(consumed).toHaveLength(1);
  });

  it('ends a viewer’s media when a moderator removes them, and everyone’s when the room closes', async () => {
    const live = await openLiveRoom(app, hostToken, '关播测试');
    await publish(live.id);
    const viewer = await enter(viewerToken, live.id);
    const removedTold = next(viewer.s, 'sfu:closed');
    const host = await connect(app.url, hostToken);
    await ok(host, 'room:join', { roomId: live.id });
    const viewerId = (await app.signIn(phones.viewer)).user.id;
    await ok(host, 'room:removeUser', { roomId: live.id, userId: viewerId });
    expect(await removedTold).toEqual({ roomId: live.id, reason: 'left-room', rejoin: false });

    const other = await enter(undefined, live.id);
    const closedTold = next(other.s, 'sfu:closed', (p) => p.reason === 'room-closed');
    expect(app.services.sfu.stats().rooms.some((m) => m.roomId === live.id)).toBe(true);
    await closeRoom(app, hostToken, live.id);
    expect((await closedTold).rejoin).toBe(false);
    expect(app.services.sfu.stats().rooms.some((m) => m.roomId === live.id)).toBe(false);
    expect(await code(other.s, 'sfu:createTransport', { roomId: live.id, direction: 'recv' })).toBe('SFU_NOT_JOINED');
  });
});

async function code(s: ClientSocket, event: Parameters<typeof call>[1], payload: unknown): Promise<string> {
  const ack = await call(s, event, payload);
  return ack.ok ? 'ok' : ack.error.code;
}

async function until(done: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
