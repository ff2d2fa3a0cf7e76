import { percentile } from '../lib/report';
import { launchChromium } from '../../server/test/e2e/support/chromium';
import '../../server/test/e2e/support/media-page-api';
import { serveMediaPage } from '../../server/test/e2e/support/media-page';
import type { FarmLive } from './farmlive';

export interface Latency {
  samples: number;
  p50: number;
  p95: number;
  max: number;
}

/**
 * Capture-to-render latency through FarmLive in Chromium: a host page publishes a canvas that
 * shows the time it was drawn, a viewer page reads that time back from every frame it presents
 * (server/test/e2e/media-page/latency.ts explains the method and its one-frame accuracy).
 */
export async function measureLatency(server: FarmLive, durationMs: number): Promise<Latency> {
  const [chromium, page] = await Promise.all([launchChromium(), serveMediaPage()]);
  try {
    const host = await chromium.open(page.url);
    await host.evaluate((r) => fl.host(r), { url: server.url, token: server.hostToken, roomId: server.room.id, timestampCanvas: true, simulcast: false });
    const viewer = await chromium.open(page.url);
    await viewer.evaluate((r) => fl.viewer(r), { url: server.url, roomId: server.room.id });
    await viewer.waitForFunction(async () => (await fl.probe()).videoWidth > 0, undefined, { timeout: 20_000, polling: 200 });
    await new Promise((r) => setTimeout(r, 2_000)); // past the first key frames and the jitter buffer's start
    const samples = await viewer.evaluate((ms) => fl.latency(ms), durationMs);
    if (samples.length === 0) throw new Error('no frame could be read');
    return { samples: samples.length, p50: Math.round(percentile(samples, 50)), p95: Math.round(percentile(samples, 95)), max: Math.round(Math.max(...samples)) };
  } finally {
    await chromium.close();
    await page.close();
  }
}
