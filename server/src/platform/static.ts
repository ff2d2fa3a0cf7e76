import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { HttpApp } from './http';

/**
 * Serves the built web pages from `dist`, and `index.html` for any other GET that is not an API
 * or socket path (the pages route on the client). Without a build, only the API is served.
 */
export async function registerWebPages(app: HttpApp, dist: string): Promise<boolean> {
  if (!existsSync(path.join(dist, 'index.html'))) {
    app.log.warn({ dist }, 'web pages are not built (pnpm build:web); serving the API only');
    return false;
  }
  await app.register(fastifyStatic, {
    root: dist,
    wildcard: false,
    index: false,
    setHeaders(res, filePath) {
      // Vite fingerprints assets: cache them for a year. index.html must always be fresh.
      if (filePath.includes(`${path.sep}assets${path.sep}`)) res.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  return true;
}

export const isPagePath = (url: string) => !url.startsWith('/api/') && !url.startsWith('/socket.io/') && !/\.[a-z0-9]{2,5}(\?|$)/i.test(url);
