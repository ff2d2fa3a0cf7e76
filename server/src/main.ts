import { buildApp } from './app';
import { parseConfig } from './config';
import { createDeps } from './deps';
import { seedDemo } from './demo/seed';
import { createLogger } from './platform/logger';

/** The process: parse config, create deps, build the app, listen, close cleanly on signals. */
async function main() {
  const config = parseConfig();
  const log = createLogger(config.log.level, undefined, { pretty: process.stdout.isTTY === true && config.env !== 'production' });
  const deps = await createDeps(config, { log });
  if (config.demo) {
    const seeded = await seedDemo(deps.db, deps.clock);
    if (seeded) deps.log.info('demo data loaded: Aksu apples, Li county apples, Cheng county walnuts, Zhashui black fungus, Ximeng honey');
  }
  const { app, services } = await buildApp(deps);
  await services.sfu.start(); // a missing mediasoup worker fails here, not at a host's first stream
  const address = await app.listen({ host: config.http.host, port: config.http.port });
  deps.log.info({ address }, 'listening');
  // Printed plainly so that a newcomer sees where to go.
  const url = config.http.port === 0 ? address.replace('0.0.0.0', 'localhost') : config.http.publicUrl;
  process.stdout.write(`\nFarmLive is running. Open ${url}\n${config.demo ? demoHint() : ''}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    await app.close().catch((err) => deps.log.error({ err }, 'closing the app failed'));
    await deps.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

const demoHint = () =>
  [
    'Demo sign-in (the one-time code is printed in this log):',
    '  viewer 13600000001 · host 13800000001 (Aksu cooperative) · host 13800000002 (Li county)',
    '  official 13900000001 · reviewer 13900000002 · admin 13700000000',
    '',
  ].join('\n');

main().catch((err) => {
  process.stderr.write(`FarmLive failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
