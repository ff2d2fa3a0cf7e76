import type { Room } from '@farmlive/shared';
import type { Page } from 'playwright-core';
import { phones, startTestApp, type TestApp } from '../support/app';
import { assertWebBuilt, attrOnceEquals, launchBrowser, signInWithToken, socketNetwork, type TestBrowser } from '../support/browser';
import { sfuEnv } from '../support/media';
import { decodes, probePreview, probeViewer, recordPeerConnections, until } from './support/video-probe';

jest.setTimeout(90_000); // jest applies no project testTimeout; browsers on a loaded machine are slow

/**
 * Live video on the real pages, in Debian's Chromium with its fake camera and microphone: the
 * host console publishes (HostCamera), room pages play it (LivePlayer). Piping across workers is
 * covered by sfu-media.e2e.test.ts on its test page; here one worker serves everyone.
 */
describe('live video on the host console and the room page', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let room: Room;
  let host: Page;
  let hostNet: Awaited<ReturnType<typeof socketNetwork>>;
  let first: Page;
  let firstNet: Awaited<ReturnType<typeof socketNetwork>>;
  let late: Page;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp({ env: { WEB_DIST: assertWebBuilt(), ...sfuEnv(1) } }), launchBrowser()]);
    const { token } = await app.signIn(phones.hostAksu);
    const created = await app.app.inject({ method: 'POST', url: '/api/rooms', headers: { authorization: `Bearer ${token}` }, payload: { title: '阿克苏苹果园直播' } });
    room = created.json() as Room;
    expect(room.status).toBe('scheduled');
    host = await browser.newPerson();
    await signInWithToken(host, app.url, token);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const expectAttr = async (page: Page, testId: string, name: string, value: string) =>
    expect(await attrOnceEquals(page.getByTestId(testId), name, value, 30_000)).toBe(value);
  const viewerPage = async () => {
    const page = await browser.newPerson();
    await recordPeerConnections(page);
    const net = await socketNetwork(page);
    await page.goto(`${app.url}/rooms/${room.id}`);
    return { page, net };
  };

  it('the host previews the camera, goes live from the console, and a viewer’s muted player decodes frames until a tap unmutes it', async () => {
    hostNet = await socketNetwork(host);
    await host.goto(`${app.url}/host/rooms/${room.id}`);
    await until(() => probePreview(host), (p) => p.videoWidth > 0, 'the camera preview');
    await expectAttr(host, 'host-camera', 'data-state', 'idle');

    await host.getByTestId('host-go-live').click();
    await expectAttr(host, 'host-camera', 'data-state', 'live');
    expect((await app.services.rooms.get(room.id)).status).toBe('live');

    ({ page: first, net: firstNet } = await viewerPage());
    await decodes(first, 'first viewer');
    // Autoplay rules: the picture plays silently until the viewer taps.
    expect((await probeViewer(first)).muted).toBe(true);
    await first.getByTestId('live-unmute').click();
    expect(await until(() => probeViewer(first), (p) => p.muted === false, 'sound on')).toMatchObject({ muted: false });
    await until(() => first.getByTestId('live-unmute').count(), (n) => n === 0, 'the unmute button to go');
    expect((await probeViewer(first)).audioTrack).not.toBeNull();

    // The quality indicator names a layer and a rate; the host sees its bitrate and the audience.
    const badge = first.getByTestId('video-quality');
    await until(() => badge.getAttribute('data-kbps'), (k) => Number(k) > 0, 'a received bitrate on the badge');
    expect(['good', 'fair', 'poor']).toContain(await badge.getAttribute('data-level'));
    expect(['0', '1', '2']).toContain(await badge.getAttribute('data-layer'));
    await until(() => host.getByTestId('host-bitrate').getAttribute('data-kbps'), (k) => Number(k) > 100, 'the host’s send bitrate');
    // The host's figures carry the room's audience count (the same one the page's pill shows).
    const figures = async () => ({ count: await host.getByTestId('viewer-count').getAttribute('data-count'), text: await host.getByTestId('host-bitrate').textContent() });
    const shown = await until(figures, (f) => Number(f.count) >= 2 && !!f.text?.includes(`${f.count}人在看`), 'the audience on the host’s figures');
    expect(shown.text).toMatch(/^\d+ kbps · \d+人在看$/);
  });

  it('a viewer joining mid-stream gets video', async () => {
    ({ page: late } = await viewerPage());
    await decodes(late, 'late viewer');
    await decodes(first, 'first viewer, still');
  });

  it('the host’s phone drops off the network and comes back: it streams again and viewers get the new stream without reloading', async () => {
    const before = await Promise.all([first, late].map(probeViewer));
    await hostNet.cut();
    // The server forgets the host's stream with its socket: the viewers wait for the host.
    for (const p of [first, late]) await expectAttr(p, 'live-player', 'data-state', 'waiting');
    hostNet.restore();
    await expectAttr(host, 'host-camera', 'data-state', 'live');
    for (const [i, p] of [first, late].entries()) await decodes(p, `viewer ${i} after the host came back`, (s) => s.videoTrack !== before[i]!.videoTrack);
  });

  it('the host’s page reloads while streaming: it goes back on air by itself and viewers get the new stream', async () => {
    const before = await Promise.all([first, late].map(probeViewer));
    await host.reload();
    await expectAttr(host, 'host-camera', 'data-state', 'live');
    for (const [i, p] of [first, late].entries()) await decodes(p, `viewer ${i} after the host reloaded`, (s) => s.videoTrack !== before[i]!.videoTrack);
  });

  it('the host mutes, flips the camera and stops streaming; viewers are told, keep the picture through the flip, and wait after the stop', async () => {
    await host.getByTestId('host-mute').click();
    await until(() => first.getByTestId('live-host-muted').count(), (n) => n === 1, 'the viewer to be told the host is muted');
    // A viewer arriving while the host is muted is told too (no pause event comes then).
    await late.reload();
    await until(() => late.getByTestId('live-host-muted').count(), (n) => n === 1, 'a viewer arriving during the mute to be told');
    await host.getByTestId('host-mute').click();
    await until(() => first.getByTestId('live-host-muted').count(), (n) => n === 0, 'the muted notice to go');

    const preview = await probePreview(host);
    const watching = await probeViewer(first);
    await host.getByTestId('host-switch-camera').click();
    await until(() => probePreview(host), (p) => p.videoTrack !== preview.videoTrack && p.videoWidth > 0, 'the other camera in the preview');
    // The publisher swaps the track it sends: same stream for viewers, still playing.
    await decodes(first, 'first viewer after the flip', (s) => s.videoTrack === watching.videoTrack && s.videoBytes > watching.videoBytes);

    await host.getByTestId('host-end-stream').click();
    await host.locator('.van-dialog__confirm').click();
    await expectAttr(host, 'host-camera', 'data-state', 'idle');
    await expectAttr(first, 'live-player', 'data-state', 'waiting');
    expect((await app.services.rooms.get(room.id)).status).toBe('live'); // stopping the stream does not end the room
    await host.getByTestId('host-go-live').click();
    await expectAttr(host, 'host-camera', 'data-state', 'live');
    await decodes(first, 'first viewer after the host streams again', (s) => s.videoTrack !== watching.videoTrack);
  });

  it('a viewer’s own network blips: its player re-consumes by itself', async () => {
    const before = await probeViewer(first);
    await firstNet.cut();
    await expectAttr(first, 'connection-state', 'data-state', 'reconnecting');
    firstNet.restore();
    await decodes(first, 'first viewer after its blip', (s) => s.videoTrack !== before.videoTrack);
    await expectAttr(first, 'live-player', 'data-state', 'live');
  });

  it('sound only: the viewer keeps receiving audio and no more video, remembers the choice, and gets video back on request', async () => {
    const audioGrows = async (page: Page, what: string) => {
      const start = await until(() => probeViewer(page), (p) => p.audioBytes > 0, `${what}: audio`);
      return until(() => probeViewer(page), (p) => p.audioBytes > start.audioBytes + 4_000, `${what}: growing audio`);
    };
    await late.getByTestId('live-audio-only').click();
    await expectAttr(late, 'live-player', 'data-audio-only', 'true');
    await until(() => late.getByTestId('video-quality').getAttribute('data-level'), (l) => l === 'audio-only', 'the audio-only badge');
    await audioGrows(late, 'audio-only viewer'); // frames already on their way when the server paused may still decode
    const paused = await audioGrows(late, 'audio-only viewer, settled');
    const later = await audioGrows(late, 'audio-only viewer, later');
    expect(later.videoFrames).toBe(paused.videoFrames);

    // The choice is remembered on this phone: a reload starts with sound only and never a picture.
    await late.reload();
    await expectAttr(late, 'live-player', 'data-audio-only', 'true');
    await audioGrows(late, 'reloaded audio-only viewer');
    const reloaded = await audioGrows(late, 'reloaded audio-only viewer, later');
    // mediasoup may still send padding to probe bandwidth; it never decodes to a picture.
    expect(reloaded.videoFrames).toBe(0);
    expect(reloaded.videoWidth).toBe(0);

    await late.getByTestId('live-audio-only').click();
    await expectAttr(late, 'live-player', 'data-audio-only', 'false');
    await decodes(late, 'viewer back on video');
    expect(browser.pageErrors).toEqual([]);
  });
});
