import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page, type WebSocketRoute } from 'playwright-core';
import { SESSION_COOKIE } from '../../src/auth/guards';

/**
 * Browser tests drive Debian's Chromium through playwright-core (never a downloaded browser),
 * with the flags SETUP-NOTES verified: headless as root, offline, fake camera and microphone.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ROOT = path.resolve(__dirname, '../../..');

/** The built web pages the server serves in browser tests (`pnpm build:web` makes them). */
export const WEB_DIST = path.join(ROOT, 'web/dist');

/** Fails with what to do when the pages are not built, instead of a confusing 404 later. */
export function assertWebBuilt(dist = WEB_DIST): string {
  if (!existsSync(path.join(dist, 'index.html'))) throw new Error(`The web pages are not built in ${dist}: run \`pnpm build:web\` first.`);
  return dist;
}

export function chromiumArgs(): string[] {
  const args = [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
  ];
  // With only a loopback interface, WebRTC's ICE never connects unless loopback is allowed.
  const external = Object.values(os.networkInterfaces())
    .flat()
    .some((i) => i && !i.internal);
  if (!external) args.push('--allow-loopback-in-peer-connection');
  return args;
}

/** A cheap Android phone: small screen, touch, Chinese locale, Beijing time. */
export const phone: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 1,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};

export interface TestBrowser {
  browser: Browser;
  /** Uncaught exceptions thrown by any page; a test asserts this stays empty. */
  pageErrors: string[];
  /** A page for one more person: its own context (cookies, storage) in the same Chromium; `options` default to the launch's. */
  newPerson(options?: BrowserContextOptions): Promise<Page>;
  /** Closes Chromium and removes its profile and temporary folder. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts one Chromium with a fresh profile (`launchPersistentContext`) and TMPDIR pointed at a
 * folder this run owns under `.cache/browser/`, removed on close, so nothing is left in /tmp.
 * The persistent context is the first person; `newPerson` adds isolated contexts.
 */
export async function launchBrowser(options: BrowserContextOptions = phone): Promise<TestBrowser> {
  const base = path.join(ROOT, '.cache/browser');
  mkdirSync(base, { recursive: true });
  sweepAbandoned(base);
  const dir = mkdtempSync(path.join(base, 'run-'));
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp);
  const pageErrors: string[] = [];
  const watch = (context: BrowserContext) => context.on('weberror', (e) => pageErrors.push(e.error().stack ?? e.error().message));

  let first: BrowserContext;
  try {
    first = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      ...options,
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: chromiumArgs(),
      env: { ...process.env, TMPDIR: tmp },
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Chromium did not start from ${CHROMIUM_PATH} (apt-get install chromium): ${(err as Error).message}`, { cause: err });
  }
  watch(first);
  const browser = first.browser();
  if (!browser) throw new Error('a persistent Chromium context has no browser');
  let firstTaken = false;
  let closed = false;

  return {
    browser,
    pageErrors,
    async newPerson(opts?: BrowserContextOptions) {
      // The persistent context was made with the launch options: it serves the first person who
      // needs nothing else.
      if (!firstTaken && !opts) {
        firstTaken = true;
        return first.pages()[0] ?? (await first.newPage());
      }
      const context = await browser.newContext(opts ?? options);
      watch(context);
      return context.newPage();
    },
    async close() {
      if (closed) return;
      closed = true;
      await first.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Removes run folders a killed test left behind: older than ten minutes (a run starting now has
 * no lock yet) and with no live Chromium holding the profile (its SingletonLock names the pid).
 */
function sweepAbandoned(base: string): void {
  for (const name of readdirSync(base)) {
    const dir = path.join(base, name);
    try {
      if (Date.now() - statSync(dir).mtimeMs < 10 * 60_000) continue;
      const pid = Number(/-(\d+)$/.exec(safeReadlink(path.join(dir, 'profile/SingletonLock')) ?? '')?.[1]);
      if (pid && isAlive(pid)) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // another run removed it first
    }
  }
}

const safeReadlink = (p: string) => {
  try {
    return readlinkSync(p);
  } catch {
    return null;
  }
};

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Signs a person in through the sign-in page, reading the one-time code the way a person reads
 * their SMS: from `codeFor` (the test app's captured SMS). Ends on `next` (default: the list).
 */
export async function signInThroughPage(page: Page, baseUrl: string, phoneNumber: string, codeFor: (phone: string) => string, next = '/'): Promise<void> {
  await page.goto(`${baseUrl}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByTestId('phone-input').locator('input').fill(phoneNumber);
  await page.getByTestId('request-code').click();
  await page.getByTestId('sign-in-notice').waitFor();
  await page.getByTestId('code-input').locator('input').fill(codeFor(phoneNumber));
  await page.getByTestId('sign-in-submit').click();
  await page.waitForURL((url) => url.pathname === next.split('?')[0]);
}

/** Signs a page's person in with a session token (from `app.signIn`), skipping the sign-in page. */
export async function signInWithToken(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.context().addCookies([{ name: SESSION_COOKIE, value: token, url: baseUrl }]);
}

/**
 * Lets a test cut and restore one page's connection to the socket server (WebSocket and
 * long-polling), as a weak mobile signal does. Install before the page first connects.
 */
export async function socketNetwork(page: Page): Promise<{ cut(): Promise<void>; restore(): void }> {
  let down = false;
  const open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (down) return void ws.close();
    open.add({ page: ws, server: ws.connectToServer() });
  });
  await page.route(/\/socket\.io\//, (route) => (down ? route.abort('internetdisconnected') : route.fallback()));
  return {
    async cut() {
      down = true;
      for (const c of open) await Promise.all([c.page.close(), c.server.close()]).catch(() => undefined);
      open.clear();
    },
    restore() {
      down = false;
    },
  };
}

/** Polls `read` until it gives a value (not null or undefined); null at the deadline. */
export async function eventually<T>(read: () => Promise<T | null | undefined>, timeoutMs = 10_000): Promise<T | null> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > end) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const quick = { timeout: 200 };

/**
 * The element's text once it contains `text`, or whatever it had at the deadline, so that
 * `expect(await textOnceIncludes(loc, t)).toContain(t)` fails with what the page showed.
 */
export async function textOnceIncludes(loc: Locator, text: string, timeoutMs = 10_000): Promise<string> {
  const read = () => loc.textContent(quick).catch(() => null);
  return (await eventually(async () => ((await read())?.includes(text) ? read() : null), timeoutMs)) ?? (await read()) ?? '(no such element)';
}

/** The attribute once it equals `value`, or what it was at the deadline (see textOnceIncludes). */
export async function attrOnceEquals(loc: Locator, name: string, value: string, timeoutMs = 10_000): Promise<string | null> {
  const read = () => loc.getAttribute(name, quick).catch(() => null);
  return (await eventually(async () => ((await read()) === value ? value : null), timeoutMs)) ?? (await read());
}
