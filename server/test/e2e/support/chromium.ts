import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Flags that make a fake camera and microphone work headless, as root, offline (SETUP-NOTES). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  // The machine may have only a loopback interface; without this ICE never connects.
  '--allow-loopback-in-peer-connection',
  // Several pages play at once; none of them may be throttled as a background tab.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--autoplay-policy=no-user-gesture-required',
];

export interface Chromium {
  context: BrowserContext;
  open(url: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * One Chromium (the system's /usr/bin/chromium; never a downloaded one) with a fresh profile and
 * its own TMPDIR under .cache/, both removed on close, so a run leaves nothing in /tmp.
 */
export async function launchChromium(): Promise<Chromium> {
  const root = path.resolve(__dirname, '../../../../.cache');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(path.join(root, 'chromium-'));
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp);
  const previousTmp = process.env.TMPDIR;
  process.env.TMPDIR = tmp; // playwright's own scratch files follow os.tmpdir()
  const context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
    env: { ...process.env, TMPDIR: tmp },
  });
  return {
    context,
    async open(url) {
      const page = await context.newPage();
      // FL_PAGE_LOG=1 prints what the pages log, for debugging a browser test.
      if (process.env.FL_PAGE_LOG) page.on('console', (m) => process.stderr.write(`[page] ${m.type()}: ${m.text()}\n`));
      if (process.env.FL_PAGE_LOG) page.on('pageerror', (e) => process.stderr.write(`[page] error: ${e.message}\n`));
      await page.goto(url);
      await page.waitForFunction(() => 'fl' in globalThis);
      return page;
    },
    async close() {
      await context.close().catch(() => undefined);
      if (previousTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previousTmp;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
