import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import { createAdapter } from '@socket.io/redis-adapter';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { Server } from 'socket.io';
import { z } from 'zod';
import { registerAuthHooks, registerAuthRoutes } from './auth/auth.routes';
import { createAuthService } from './auth/auth.service';
import { tokenFrom } from './auth/guards';
import { createChannelFeatures, registerChannelFeatures } from './channels/channels.wiring';
import type { Deps } from './deps';
import { registerFlashSales } from './flash-sales/flash-sales.module';
import { registerMediaRoutes } from './media/media.routes';
import { createMediaService } from './media/media.service';
import { createImagePipeline } from './media/pipeline/image-pipeline';
import { registerErrorHandling, type HttpApp } from './platform/http';
import { registerPublishing } from './publishing/publishing.module';
import { rejectUnknownEvents, type AppServer } from './platform/socket';
import { isPagePath, registerWebPages } from './platform/static';
import { registerProductRoutes } from './products/products.routes';
import { createProductsService } from './products/products.service';
import { createChatService } from './rooms/chat.service';
import { createLikes } from './rooms/likes';
import { createPresence } from './rooms/presence';
import { createRoomsRepo } from './rooms/rooms.repo';
import { registerRoomRoutes } from './rooms/rooms.routes';
import { createRoomBroadcaster, registerRoomSockets } from './rooms/rooms.socket';
import { createRoomsService } from './rooms/rooms.service';
import { createSfuService } from './sfu/sfu.service';
import { registerSfuSockets } from './sfu/sfu.socket';

export interface AppOptions {
  /** How often viewer counts and like totals go out, per room. */
  tickMs?: number;
}

/** Builds the HTTP app and socket server on `deps`; wiring only. `main.ts` owns the process. */
export async function buildApp(deps: Deps, opts: AppOptions = {}) {
  const { config, log } = deps;
  const tickMs = opts.tickMs ?? 1_000;
  const app: HttpApp = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: config.http.bodyLimit,
    trustProxy: config.http.trustProxy,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const index = config.web.dist;
  let pagesBuilt = false;
  registerErrorHandling(app, {
    pages: (req, reply) =>
      pagesBuilt && isPagePath(req.url)
        ? reply.header('cache-control', 'no-cache').sendFile('index.html', index)
        : reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'Not found.' } }),
  });
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: { info: { title: 'FarmLive API', version: '0.1.0' }, components: { securitySchemes: { session: { type: 'http', scheme: 'bearer' } } } },
    transform: jsonSchemaTransform,
  });

  const io: AppServer = new Server(app.server, {
    serveClient: false,
    maxHttpBufferSize: config.socket.maxPayloadBytes,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    perMessageDeflate: false,
    adapter: deps.redis ? createAdapter(deps.redis.pub, deps.redis.sub, { key: `${deps.redis.prefix}socket.io`, requestsTimeout: 2_000 }) : undefined,
  });

  // Features, registered explicitly.
  const auth = createAuthService(deps);
  registerAuthHooks(app, auth);
  registerAuthRoutes(app, { auth, config });

  const products = createProductsService(deps);
  registerProductRoutes(app, { products });

  const broadcast = createRoomBroadcaster(io);
  const rooms = createRoomsService({ ...deps, products, broadcast });
  const chat = createChatService({ ...deps, rooms, broadcast });
  const presence = createPresence(io, { intervalMs: tickMs, distributed: !!deps.redis, log });
  const likes = createLikes({ addLikes: createRoomsRepo(deps.db).addLikes, broadcast, intervalMs: tickMs, perSocketPerTick: 100, log });
  registerRoomRoutes(app, { rooms });

  const channelFeatures = createChannelFeatures(deps);
  await registerChannelFeatures(app, channelFeatures, deps);
  const pipeline = createImagePipeline({ ...config.media, log });
  const media = createMediaService({ ...deps, pipeline, publicUrl: config.http.publicUrl });
  await registerMediaRoutes(app, { media, maxUploadBytes: config.media.maxUploadBytes, maxPixels: config.media.maxPixels });
  const { channels, accountGroups, wechatEvents } = channelFeatures.services;
  const publishing = await registerPublishing(app, deps, { media, channels, groups: accountGroups, wechatEvents });

  io.use((socket, next) => {
    const handshakeToken = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const token = typeof handshakeToken === 'string' ? handshakeToken : tokenFrom(undefined, app.parseCookie(socket.handshake.headers.cookie ?? ''));
    if (!token) {
      socket.data.user = null;
      return next();
    }
    auth.userForToken(token).then(
      (user) => {
        if (!user) return next(Object.assign(new Error('UNAUTHENTICATED'), { data: { code: 'UNAUTHENTICATED' } }));
        socket.data.user = user;
        next();
      },
      (err) => {
        log.error({ err }, 'socket sign-in failed');
        next(Object.assign(new Error('UNAVAILABLE'), { data: { code: 'UNAVAILABLE' } }));
      },
    );
  });
  io.on('connection', rejectUnknownEvents);
  registerRoomSockets(io, { rooms, chat, presence, likes, log });
  // Live video: workers start lazily on the first join; main.ts starts them at boot to fail fast.
  const sfu = createSfuService({ config: config.sfu, log, clock: deps.clock, rooms });
  registerSfuSockets(io, { sfu, rooms, log });
  const flash = await registerFlashSales(app, io, deps, rooms, broadcast);

  app.get('/api/health', { schema: { tags: ['ops'], response: { 200: z.object({ ok: z.boolean(), db: z.string(), redis: z.boolean() }) } } }, async () => {
    await deps.db.query('select 1');
    return { ok: true, db: deps.db.kind, redis: !!deps.redis };
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  pagesBuilt = await registerWebPages(app, config.web.dist);

  app.addHook('preClose', async () => {
    presence.close();
    io.local.disconnectSockets(true);
  });
  app.addHook('onClose', async () => {
    await likes.close();
    await flash.close();
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await sfu.close();
  });

  return { app, io, services: { auth, products, rooms, chat, presence, likes, media, sfu, ...channelFeatures.services, ...flash, ...publishing } };
}

export type App = Awaited<ReturnType<typeof buildApp>>;
