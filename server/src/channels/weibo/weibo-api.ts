import type { Logger } from 'pino';
import { z } from 'zod';
import { exchange, parseJson } from '../http';

/**
 * The Weibo endpoints FarmLive uses, each answer parsed with zod. Errors come back as HTTP 4xx with
 * `{request, error_code, error}`, where `error_code` may be a string. Status ids exceed 2^53: only
 * `idstr` is read, never the numeric `id`.
 */

export type WeiboCallError =
  | { kind: 'platform'; code: string; message: string }
  | { kind: 'http'; status: number }
  | { kind: 'network'; sent: 'no' | 'maybe'; message: string }
  | { kind: 'malformed'; message: string };

export type WeiboResult<T> = { ok: true; data: T } | { ok: false; error: WeiboCallError };

const ErrorEnvelope = z.object({
  error_code: z.union([z.string().regex(/^\d+$/), z.number().int()]).transform(String),
  error: z.string().optional(),
  error_description: z.string().optional(),
});

export const WeiboStatusSchema = z.object({
  idstr: z.string().regex(/^\d+$/),
  text: z.string(),
  created_at: z.string(),
});
const TimelineSchema = z.object({ statuses: z.array(WeiboStatusSchema) });
const AccessTokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
  uid: z.union([z.string().regex(/^\d+$/), z.number().int()]).transform(String),
});
/** `get_token_info` answers `expire_in`; some documentation says `expires_in`: accept either. */
const TokenInfoSchema = z
  .object({
    uid: z.union([z.string().regex(/^\d+$/), z.number().int()]).transform(String),
    expire_in: z.coerce.number().int().optional(),
    expires_in: z.coerce.number().int().optional(),
  })
  .refine((t) => t.expire_in !== undefined || t.expires_in !== undefined, 'expire_in is missing')
  .transform((t) => ({ uid: t.uid, expiresIn: (t.expire_in ?? t.expires_in)! }));

export interface WeiboPicture {
  bytes: Buffer;
  filename: string;
  contentType: string;
}

export function createWeiboApi(opts: { apiUrl: string; timeoutMs: number; log: Logger }) {
  async function call<S extends z.ZodType>(path: string, init: RequestInit, schema: S): Promise<WeiboResult<z.output<S>>> {
    const ex = await exchange(`${opts.apiUrl}${path}`, init, { timeoutMs: opts.timeoutMs, log: opts.log });
    if (ex.kind === 'network') return { ok: false, error: { kind: 'network', sent: ex.sent, message: ex.message } };
    const json = parseJson(ex.body);
    const err = ErrorEnvelope.safeParse(json);
    if (err.success) return { ok: false, error: { kind: 'platform', code: err.data.error_code, message: err.data.error_description ?? err.data.error ?? '' } };
    if (ex.status !== 200) return { ok: false, error: { kind: 'http', status: ex.status } };
    const parsed = schema.safeParse(json);
    if (!parsed.success) return { ok: false, error: { kind: 'malformed', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 300) } };
    return { ok: true, data: parsed.data };
  }

  const form = (fields: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(fields) });

  return {
    authorizeUrl: (appKey: string, redirectUri: string, state: string) =>
      `${opts.apiUrl}/oauth2/authorize?${new URLSearchParams({ client_id: appKey, redirect_uri: redirectUri, response_type: 'code', state })}`,
    accessToken: (app: { appKey: string; appSecret: string }, code: string, redirectUri: string) =>
      call(
        '/oauth2/access_token',
        form({ client_id: app.appKey, client_secret: app.appSecret, grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
        AccessTokenSchema,
      ),
    tokenInfo: (token: string) => call('/oauth2/get_token_info', form({ access_token: token }), TokenInfoSchema),
    /** Posts; multipart with one `pic` when there is a picture, a urlencoded form otherwise. */
    share(token: string, p: { status: string; rip: string; pic?: WeiboPicture }) {
      if (!p.pic) return call('/2/statuses/share.json', form({ access_token: token, status: p.status, rip: p.rip }), WeiboStatusSchema);
      const body = new FormData();
      body.append('access_token', token);
      body.append('status', p.status);
      body.append('rip', p.rip);
      body.append('pic', new Blob([new Uint8Array(p.pic.bytes)], { type: p.pic.contentType }), p.pic.filename);
      return call('/2/statuses/share.json', { method: 'POST', body }, WeiboStatusSchema);
    },
    /** The authorising user's own recent posts (reconciliation). */
    userTimeline: (token: string, count: number) =>
      call(`/2/statuses/user_timeline.json?${new URLSearchParams({ access_token: token, count: String(count), trim_user: '1' })}`, { method: 'GET' }, TimelineSchema),
  };
}

export type WeiboApi = ReturnType<typeof createWeiboApi>;
