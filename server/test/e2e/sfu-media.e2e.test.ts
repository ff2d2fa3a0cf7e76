import type { Page } from 'playwright-core';
import type { Room } from '@farmlive/shared';
import { phones, startTestApp, type TestApp } from '../support/app';
import { openLiveRoom, sfuEnv } from '../support/media';
import { launchChromium, type Chromium } from './support/chromium';
import type { Probe } from './support/media-page-api';
import { serveMediaPage, type MediaPageServer } from './support/media-page';

/**
 * Real media end to end: Chromium's fake camera and microphone publish through FarmLive's media
 * client to mediasoup, and viewer pages decode. Two workers and one viewer per router, so the
 * second viewer is served through a pipe to the other worker. One browser, several pages.
 */
jest.setTimeout(90_000); // the project's testTimeout is not applied by jest to projects

describe('live video in Chromium', () => {
  let app: TestApp;
  let chromium: Chromium;
  let page: MediaPageServer;
  let room: Room;
  let host: Page;
  let early: Page;
  let late: Page;
  let audioOnly: Page;

  beforeAll(async () => {
    [app, chromium, page] = await Promise.all([startTestApp({ env: sfuEnv(2, 1) }), launchChromium(), serveMediaPage()]);
    const { token } = await app.signIn(phones.hostAksu);
    room = await openLiveRoom(app, token);
    host = await chromium.open(page.url);
    await host.evaluate((r) => fl.host(r), { url: app.url, token, roomId: room.id });
  });
  afterAll(async () => {
    await chromium?.close();
    await page?.close();
    await app?.close();
  });

  const probe = (p: Page) => p.evaluate(() => fl.probe());
  const viewer = async (opts: { audioOnly?: boolean } = {}) => {
    const p = await chromium.open(page.url);
    await p.evaluate((r) => fl.viewer(r), { url: app.url, roomId: room.id, ...opts });
    return p;
  };

  /** Polls the page until `ok(probe)` holds. */
  async function until(p: Page, ok: (s: Probe) => boolean, what: string, timeoutMs = 20_000): Promise<Probe> {
    const end = Date.now() + timeoutMs;
    let last = await probe(p);
    while (!ok(last)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, 200));
      last = await probe(p);
    }
    return last;
  }

  /** The page decodes video: a picture with a size, and the received byte count keeps growing. */
  async function decodes(p: Page, what: string): Promise<void> {
    const first = await until(p, (s) => s.videoWidth > 0 && s.videoBytes > 0, `${what}: a decoded frame`);
    await until(p, (s) => s.videoBytes > first.videoBytes + 20_000, `${what}: growing video bytes`);
  }

  it('the host publishes and a viewer decodes frames', async () => {
    early = await viewer();
    await decodes(early, 'first viewer');
    expect((await probe(early)).tracks).toEqual(['audio', 'video']);
  });

  it('a viewer joining mid-stream gets video, served from the other worker through a pipe', async () => {
    late = await viewer();
    await decodes(late, 'late viewer');
    const routers = app.services.sfu.stats().rooms.find((r) => r.roomId === room.id)!.routers;
    expect(routers.map((r) => [r.origin, r.viewers])).toEqual([
      [true, 1],
      [false, 1],
    ]);
    expect(new Set(routers.map((r) => r.workerPid)).size).toBe(2);
    await decodes(early, 'first viewer, still');
  });

  it('an audio-only viewer receives sound and no video, and gets video back on request', async () => {
    audioOnly = await viewer({ audioOnly: true });
    const start = await until(audioOnly, (s) => s.audioBytes > 0, 'audio');
    await until(audioOnly, (s) => s.audioBytes > start.audioBytes + 2_000, 'growing audio bytes');
    await new Promise((r) => setTimeout(r, 1_000));
    const later = await probe(audioOnly);
    // mediasoup may still send this viewer padding to probe its bandwidth; it carries no picture.
    expect(later.videoFrames).toBe(0);
    expect(later.videoWidth).toBe(0);
    await audioOnly.evaluate(() => fl.setAudioOnly(false));
    await decodes(audioOnly, 'former audio-only viewer');
  });

  it('the host sends simulcast layers; a viewer gets the full picture on a good network and the lower layer when it asks', async () => {
    const layer = async (p: Page, spatial: number, width: number) => {
      const end = Date.now() + 25_000;
      let q = await p.evaluate(() => fl.quality());
      while (!(q.spatialLayer === spatial && q.width === width)) {
        if (Date.now() > end) throw new Error(`wanted layer ${spatial} at ${width}px, still at layer ${q.spatialLayer}, ${q.width}px`);
        await new Promise((r) => setTimeout(r, 300));
        q = await p.evaluate(() => fl.quality());
      }
      return q;
    };
    // The fake camera is 640x480: two layers, 320 and 640 pixels wide. Loopback carries both.
    await layer(early, 1, 640);
    expect((await host.evaluate(() => fl.publisherStats())).videoLayers).toBe(2);
    await early.evaluate(() => fl.setQuality('low'));
    await layer(early, 0, 320);
    await early.evaluate(() => fl.setQuality('auto'));
    await layer(early, 1, 640);
  });

  it('the host’s network drops and comes back: viewers get video again without reloading', async () => {
    const before = await Promise.all([early, late].map(probe));
    await host.evaluate(() => fl.drop());
    // Each viewer first loses the old stream, then consumes the new one.
    for (const [i, p] of [early, late].entries()) {
      await until(p, (s) => s.states.length > before[i]!.states.length && s.states.slice(before[i]!.states.length).includes('waiting'), 'the old stream to end');
      const back = await until(p, (s) => s.state === 'live' && s.tracks.includes('video'), 'the new stream');
      await until(p, (s) => s.videoBytes > back.videoBytes + 20_000 && s.videoWidth > 0, 'video after the host came back');
    }
    expect((await probe(host)).states).toContain('reconnecting');
    expect((await probe(host)).state).toBe('live');
  });

  it('a viewer whose own connection drops gets video back by itself', async () => {
    const before = await probe(late);
    await late.evaluate(() => fl.drop());
    await until(late, (s) => s.states.slice(before.states.length).includes('reconnecting'), 'the viewer to notice');
    const back = await until(late, (s) => s.state === 'live' && s.videoBytes > 0, 'the viewer to come back');
    await until(late, (s) => s.videoBytes > back.videoBytes + 20_000 && s.videoWidth > 0, 'video after the viewer came back');
  });

  it('when the worker serving a viewer dies, the viewer is moved to a replacement without reloading', async () => {
    const pages = [early, late, audioOnly];
    const edge = app.services.sfu.stats().rooms.find((r) => r.roomId === room.id)!.routers.find((r) => !r.origin)!;
    const seen = (await Promise.all(pages.map(probe))).map((s) => s.states.length);
    process.kill(edge.workerPid, 'SIGKILL');
    const end = Date.now() + 10_000;
    let moved: number[] = [];
    while (moved.length === 0) {
      if (Date.now() > end) throw new Error('no viewer was told to reconnect');
      await new Promise((r) => setTimeout(r, 200));
      const now = await Promise.all(pages.map(probe));
      moved = now.flatMap((s, i) => (s.states.slice(seen[i]).includes('reconnecting') ? [i] : []));
    }
    for (const p of pages) {
      const back = await until(p, (s) => s.state === 'live' && s.videoWidth > 0, 'video on a live worker');
      await until(p, (s) => s.videoBytes > back.videoBytes + 20_000, 'growing video');
    }
    const after = app.services.sfu.stats();
    expect(after.workers.map((w) => w.pid)).not.toContain(edge.workerPid);
    expect(after.workers.every((w) => w.pid !== null)).toBe(true);
  });
});
