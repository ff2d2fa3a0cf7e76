import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { build, stop } from 'esbuild';

const serverRoot = path.resolve(__dirname, '../../..');
let bundle: Promise<string> | null = null;

/**
 * Bundles the test page (test/e2e/media-page/page.ts with web/src/media and socket.io-client)
 * once per process. Until the web package exists, its imports resolve from the server's packages.
 */
export function mediaPageBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [path.join(serverRoot, 'test/e2e/media-page/page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    nodePaths: [path.join(serverRoot, 'node_modules')],
    alias: { '@farmlive/shared': path.resolve(serverRoot, '../shared/src/index.ts') },
    logLevel: 'silent',
  }).then(async (r) => {
    await stop(); // esbuild's helper process would keep jest from exiting
    return r.outputFiles[0]!.text;
  });
  return bundle;
}

export interface MediaPageServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the page on 127.0.0.1 (a secure context, so getUserMedia works over plain HTTP). */
export async function serveMediaPage(): Promise<MediaPageServer> {
  const js = await mediaPageBundle();
  const html = '<!doctype html><meta charset="utf-8"><title>FarmLive media test</title><body><script src="/page.js"></script>';
  const server: Server = createServer((req, res) => {
    if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else if (req.url === '/favicon.ico') res.writeHead(204).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
