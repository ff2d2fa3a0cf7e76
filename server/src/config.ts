import path from 'node:path';
import { z } from 'zod';

const bool = z.stringbool({ truthy: ['1', 'true', 'yes', 'on'], falsy: ['0', 'false', 'no', 'off', ''] });
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(def);
const url = (protocols: RegExp) => z.url({ protocol: protocols });

/** Every environment variable FarmLive reads. docs/configuration.md lists them. */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(3000, 0, 65535),
  PUBLIC_URL: url(/^https?$/).optional(),
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: url(/^postgres(ql)?$/).optional(),
  DATABASE_POOL_MAX: int(10, 1, 200),
  REDIS_URL: url(/^rediss?$/).optional(),
  REDIS_PREFIX: z.string().regex(/^[a-z0-9:_-]*$/i).default('farmlive:'),
  WEB_DIST: z.string().optional(),
  DEMO_DATA: bool.default(false),
  SMS_WEBHOOK_URL: url(/^https?$/).optional(),
  SESSION_DAYS: int(30, 1, 365),
  SESSION_CACHE_SECONDS: int(5, 0, 60),
  AUTH_CODE_TTL_SECONDS: int(300, 60, 3600),
  AUTH_CODE_RESEND_SECONDS: int(60, 0, 3600),
  AUTH_CODES_PER_PHONE_HOUR: int(5, 1, 100),
  AUTH_CODES_PER_IP_HOUR: int(30, 1, 10_000),
  CHAT_RATE_MESSAGES: int(5, 1, 10_000),
  CHAT_RATE_WINDOW_SECONDS: int(10, 1, 3600),
  CHAT_HISTORY: int(50, 0, 500),
  SOCKET_MAX_PAYLOAD_BYTES: int(65_536, 1024, 10_000_000),
  HTTP_BODY_LIMIT_BYTES: int(262_144, 1024, 50_000_000),
  // Accounts and channels.
  CREDENTIALS_KEY: z
    .string()
    .trim()
    .refine((k) => keyBytes(k) !== null, 'must be 32 random bytes, as 64 hex digits or base64 (openssl rand -base64 32)')
    .optional(),
  WEIBO_APP_KEY: z.string().trim().min(1).optional(),
  WEIBO_APP_SECRET: z.string().trim().min(1).optional(),
  WEIBO_API_URL: url(/^https?$/).default('https://api.weibo.com'),
  WEIBO_SAFE_DOMAIN: z.string().trim().toLowerCase().regex(/^[a-z0-9.-]+$/).optional(),
  WECHAT_API_URL: url(/^https?$/).default('https://api.weixin.qq.com'),
  CHANNEL_TIMEOUT_MS: int(15_000, 100, 120_000),
  WECHAT_CALLBACK_MAX_AGE_SECONDS: int(300, 10, 3600),
  // Blob store: S3 when S3_BUCKET is set, else a folder under DATA_DIR.
  S3_ENDPOINT: url(/^https?$/).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name').optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
  S3_PUBLIC_BASE_URL: url(/^https?$/).optional(),
  S3_PREFIX: z.string().regex(/^([A-Za-z0-9][A-Za-z0-9._-]*\/)*$/, 'must be empty or folder names ending in /').default(''),
  // Image uploads and the image pipeline.
  MEDIA_MAX_UPLOAD_BYTES: int(20 * 1024 * 1024, 1024, 200_000_000),
  MEDIA_MAX_PIXELS: int(64_000_000, 1_000_000, 268_402_689),
  MEDIA_CONCURRENCY: int(2, 1, 64),
  MEDIA_QUEUE: int(16, 0, 10_000),
  MEDIA_BRAND_FONT_FILE: z.string().min(1).optional(),
  // Live video (sfu/). The worker binary comes from Debian's mediasoup-worker 3.8.4 (scripts/fetch-mediasoup-worker.sh).
  MEDIASOUP_WORKER_BIN: z.string().min(1).default(path.resolve(__dirname, '../../.cache/mediasoup/mediasoup-worker')),
  SFU_WORKERS: int(0, 0, 256),
  SFU_RTC_MIN_PORT: int(40_000, 1024, 65535),
  SFU_RTC_MAX_PORT: int(49_999, 1024, 65535),
  SFU_LISTEN_IP: z.ipv4().or(z.ipv6()).default('0.0.0.0'),
  SFU_ANNOUNCED_IP: z.string().min(1).optional(),
  /** Comma-separated stun:, turn: and turns: URLs handed to browsers. */
  SFU_ICE_SERVERS: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(stun|turns?):\S+$/, 'must be a stun:, turn: or turns: URL'))),
  SFU_TURN_USERNAME: z.string().optional(),
  SFU_TURN_CREDENTIAL: z.string().optional(),
  SFU_TURN_SECRET: z.string().min(8).optional(),
  SFU_TURN_TTL_SECONDS: int(86_400, 60, 30 * 86_400),
  SFU_VIEWERS_PER_ROUTER: int(250, 1, 100_000),
  SFU_MAX_INCOMING_BITRATE: int(3_000_000, 100_000, 50_000_000),
  SFU_INITIAL_OUTGOING_BITRATE: int(1_000_000, 100_000, 50_000_000),
  SFU_LOG_LEVEL: z.enum(['debug', 'warn', 'error', 'none']).default('warn'),
  STOCK_LEDGER: z.enum(['sql', 'redis']).optional(),
  FLASH_STOCK_BROADCAST_MS: int(100, 10, 10_000),
  PAYMENT_SANDBOX_SECRET: z.string().min(16).optional(),
});

/** CREDENTIALS_KEY as 32 bytes (64 hex digits or base64), or null when it is not such a key. */
export function keyBytes(key: string): Buffer | null {
  const buf = /^[0-9a-f]{64}$/i.test(key) ? Buffer.from(key, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(key) ? Buffer.from(key, 'base64') : null;
  return buf && buf.length === 32 ? buf : null;
}

export type Env = z.input<typeof EnvSchema>;

/** The S3 settings, or null for the local folder; refuses half a configuration rather than guessing. */
function s3Of(e: z.output<typeof EnvSchema>) {
  const set = [e.S3_ENDPOINT, e.S3_ACCESS_KEY_ID, e.S3_SECRET_ACCESS_KEY, e.S3_PUBLIC_BASE_URL].some((v) => v !== undefined);
  if (!e.S3_BUCKET) {
    if (set) throw new Error('Invalid configuration:\n  S3_BUCKET: required when any other S3_* variable is set');
    return null;
  }
  if (!e.S3_ACCESS_KEY_ID !== !e.S3_SECRET_ACCESS_KEY) throw new Error('Invalid configuration:\n  S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both or neither');
  return {
    endpoint: e.S3_ENDPOINT ?? null,
    region: e.S3_REGION,
    bucket: e.S3_BUCKET,
    accessKeyId: e.S3_ACCESS_KEY_ID ?? null,
    secretAccessKey: e.S3_SECRET_ACCESS_KEY ?? null,
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
    publicBaseUrl: e.S3_PUBLIC_BASE_URL ?? null,
    prefix: e.S3_PREFIX,
  };
}

/** The typed configuration every part of the server reads. */
export function parseConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.STOCK_LEDGER === 'redis' && !e.REDIS_URL) throw new Error('Invalid configuration:\n  STOCK_LEDGER: redis needs REDIS_URL');
  const port = e.PORT;
  return {
    env: e.NODE_ENV,
    http: {
      host: e.HOST,
      port,
      publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
      trustProxy: e.TRUST_PROXY,
      bodyLimit: e.HTTP_BODY_LIMIT_BYTES,
      secureCookies: (e.PUBLIC_URL ?? '').startsWith('https:'),
    },
    log: { level: e.LOG_LEVEL },
    db: { url: e.DATABASE_URL ?? null, dataDir: path.resolve(e.DATA_DIR, 'pglite'), poolMax: e.DATABASE_POOL_MAX },
    dataDir: path.resolve(e.DATA_DIR),
    redis: { url: e.REDIS_URL ?? null, prefix: e.REDIS_PREFIX },
    web: { dist: e.WEB_DIST ? path.resolve(e.WEB_DIST) : path.resolve(__dirname, '../../web/dist') },
    demo: e.DEMO_DATA,
    sms: { webhookUrl: e.SMS_WEBHOOK_URL ?? null },
    auth: {
      sessionDays: e.SESSION_DAYS,
      sessionCacheSeconds: e.SESSION_CACHE_SECONDS,
      codeTtlSeconds: e.AUTH_CODE_TTL_SECONDS,
      resendSeconds: e.AUTH_CODE_RESEND_SECONDS,
      codesPerPhoneHour: e.AUTH_CODES_PER_PHONE_HOUR,
      codesPerIpHour: e.AUTH_CODES_PER_IP_HOUR,
    },
    chat: {
      rateMessages: e.CHAT_RATE_MESSAGES,
      rateWindowMs: e.CHAT_RATE_WINDOW_SECONDS * 1000,
      history: e.CHAT_HISTORY,
    },
    socket: { maxPayloadBytes: e.SOCKET_MAX_PAYLOAD_BYTES },
    channels: {
      /** Null: platform credentials cannot be stored (sandbox accounts only); see docs/configuration.md. */
      credentialsKey: e.CREDENTIALS_KEY ? keyBytes(e.CREDENTIALS_KEY) : null,
      timeoutMs: e.CHANNEL_TIMEOUT_MS,
      weibo: {
        appKey: e.WEIBO_APP_KEY ?? null,
        appSecret: e.WEIBO_APP_SECRET ?? null,
        apiUrl: e.WEIBO_API_URL.replace(/\/$/, ''),
        safeDomain: e.WEIBO_SAFE_DOMAIN ?? new URL(e.PUBLIC_URL ?? `http://localhost:${port}`).hostname,
      },
      wechat: { apiUrl: e.WECHAT_API_URL.replace(/\/$/, ''), callbackMaxAgeSeconds: e.WECHAT_CALLBACK_MAX_AGE_SECONDS },
    },
    blobs: { dir: path.resolve(e.DATA_DIR, 'blobs'), s3: s3Of(e) },
    media: {
      maxUploadBytes: e.MEDIA_MAX_UPLOAD_BYTES,
      maxPixels: e.MEDIA_MAX_PIXELS,
      concurrency: e.MEDIA_CONCURRENCY,
      queue: e.MEDIA_QUEUE,
      brandFontFile: e.MEDIA_BRAND_FONT_FILE ? path.resolve(e.MEDIA_BRAND_FONT_FILE) : null,
    },
    sfu: {
      workerBin: path.resolve(e.MEDIASOUP_WORKER_BIN),
      /** 0 means one per core. */
      workers: e.SFU_WORKERS,
      rtcMinPort: e.SFU_RTC_MIN_PORT,
      rtcMaxPort: Math.max(e.SFU_RTC_MIN_PORT, e.SFU_RTC_MAX_PORT),
      listenIp: e.SFU_LISTEN_IP,
      announcedIp: e.SFU_ANNOUNCED_IP ?? null,
      iceServers: e.SFU_ICE_SERVERS,
      turn: { username: e.SFU_TURN_USERNAME ?? null, credential: e.SFU_TURN_CREDENTIAL ?? null, secret: e.SFU_TURN_SECRET ?? null, ttlSeconds: e.SFU_TURN_TTL_SECONDS },
      viewersPerRouter: e.SFU_VIEWERS_PER_ROUTER,
      maxIncomingBitrate: e.SFU_MAX_INCOMING_BITRATE,
      initialOutgoingBitrate: e.SFU_INITIAL_OUTGOING_BITRATE,
      logLevel: e.SFU_LOG_LEVEL,
    },
    flash: {
      /** Where claims are decided: Redis (one Lua script per claim) when REDIS_URL is set, else SQL. */
      ledger: e.STOCK_LEDGER ?? (e.REDIS_URL ? 'redis' : 'sql'),
      /** A sale's stock goes to its room at most once per this many ms, across all processes. */
      stockBroadcastMs: e.FLASH_STOCK_BROADCAST_MS,
    },
    payments: {
      /** Signs the sandbox provider's notifications; random per process when unset (one process only). */
      sandboxSecret: e.PAYMENT_SANDBOX_SECRET ?? null,
    },
  };
}

export type Config = ReturnType<typeof parseConfig>;
