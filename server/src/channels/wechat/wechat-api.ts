import type { Logger } from 'pino';
import { z } from 'zod';
import { exchange, parseJson } from '../http';

/**
 * The WeChat Official Account endpoints FarmLive uses, each answer parsed with zod. Errors come
 * back as HTTP 200 with a non-zero `errcode`; the token travels in the `access_token` query
 * parameter, which `http.ts` redacts from every log line.
 */

export type WechatCallError =
  | { kind: 'platform'; errcode: number; errmsg: string; body: Record<string, unknown> }
  | { kind: 'http'; status: number }
  | { kind: 'network'; sent: 'no' | 'maybe'; message: string }
  | { kind: 'malformed'; message: string };

export type WechatResult<T> = { ok: true; data: T } | { ok: false; error: WechatCallError };

const idString = z.union([z.string().min(1), z.number().int()]).transform(String);

const Envelope = z.object({ errcode: z.number().int().optional(), errmsg: z.string().optional() }).loose();

export const StableTokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });
const UploadImgSchema = z.object({ url: z.string().min(1) });
const MaterialSchema = z.object({ media_id: z.string().min(1), url: z.string().optional() });
const MediaIdSchema = z.object({ media_id: z.string().min(1) });
const SubmitSchema = z.object({ publish_id: idString });
export const PublishStatusSchema = z.object({
  publish_id: idString,
  publish_status: z.number().int(),
  article_id: z.string().optional(),
  article_detail: z.object({ count: z.number().int(), item: z.array(z.object({ idx: z.number().int(), article_url: z.string() })) }).optional(),
  fail_idx: z.array(z.number().int()).optional(),
});
const BatchGetSchema = z.object({
  total_count: z.number().int(),
  item_count: z.number().int(),
  item: z.array(
    z.object({
      article_id: z.string(),
      content: z.object({ news_item: z.array(z.object({ title: z.string(), url: z.string(), content_source_url: z.string().optional() }).loose()) }),
    }),
  ),
});
const MassSendSchema = z.object({ msg_id: idString });
const MassGetSchema = z.object({ msg_id: idString, msg_status: z.string() });

export interface UploadFile {
  bytes: Buffer;
  filename: string;
  contentType: string;
}

/** An article as `draft/add` takes it. */
export interface DraftArticle {
  title: string;
  author?: string;
  digest?: string;
  content: string;
  content_source_url: string;
  thumb_media_id: string;
  need_open_comment: 0 | 1;
  only_fans_can_comment: 0 | 1;
  pic_crop_235_1?: string;
  pic_crop_1_1?: string;
}

export function createWechatApi(opts: { apiUrl: string; timeoutMs: number; log: Logger }) {
  async function call<S extends z.ZodType>(
    path: string,
    token: string | null,
    schema: S,
    body: { json: unknown } | { form: FormData } | null,
    query: Record<string, string> = {},
  ): Promise<WechatResult<z.output<S>>> {
    const params = new URLSearchParams(token ? { ...query, access_token: token } : query);
    const url = `${opts.apiUrl}${path}${params.size ? `?${params}` : ''}`;
    // JSON.stringify writes CJK literally; WeChat refuses `\uXXXX` escapes with 40033.
    const init: RequestInit = !body
      ? { method: 'GET' }
      : 'json' in body
        ? { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body.json) }
        : { method: 'POST', body: body.form };
    const ex = await exchange(url, init, { timeoutMs: opts.timeoutMs, log: opts.log });
    if (ex.kind === 'network') return { ok: false, error: { kind: 'network', sent: ex.sent, message: ex.message } };
    if (ex.status !== 200) return { ok: false, error: { kind: 'http', status: ex.status } };
    const json = parseJson(ex.body);
    const env = Envelope.safeParse(json);
    if (!env.success) return { ok: false, error: { kind: 'malformed', message: 'not a JSON object' } };
    if (env.data.errcode !== undefined && env.data.errcode !== 0) {
      return { ok: false, error: { kind: 'platform', errcode: env.data.errcode, errmsg: env.data.errmsg ?? '', body: env.data } };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) return { ok: false, error: { kind: 'malformed', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 300) } };
    return { ok: true, data: parsed.data };
  }

  const file = (f: UploadFile) => {
    const form = new FormData();
    form.append('media', new Blob([new Uint8Array(f.bytes)], { type: f.contentType }), f.filename);
    return { form };
  };

  return {
    /** Normal mode only: FarmLive never forces a refresh (it would invalidate the token for every other caller). */
    stableToken: (appid: string, secret: string) =>
      call('/cgi-bin/stable_token', null, StableTokenSchema, { json: { grant_type: 'client_credential', appid, secret, force_refresh: false } }),
    uploadImg: (token: string, f: UploadFile) => call('/cgi-bin/media/uploadimg', token, UploadImgSchema, file(f)),
    addMaterial: (token: string, type: 'image' | 'thumb', f: UploadFile) => call('/cgi-bin/material/add_material', token, MaterialSchema, file(f), { type }),
    addDraft: (token: string, articles: DraftArticle[]) => call('/cgi-bin/draft/add', token, MediaIdSchema, { json: { articles } }),
    submit: (token: string, mediaId: string) => call('/cgi-bin/freepublish/submit', token, SubmitSchema, { json: { media_id: mediaId } }),
    publishStatus: (token: string, publishId: string) => call('/cgi-bin/freepublish/get', token, PublishStatusSchema, { json: { publish_id: publishId } }),
    publishedList: (token: string, offset: number, count: number) =>
      call('/cgi-bin/freepublish/batchget', token, BatchGetSchema, { json: { offset, count, no_content: 1 } }),
    massSend: (token: string, m: { mediaId: string; tagId?: number; clientMsgId: string }) =>
      call('/cgi-bin/message/mass/sendall', token, MassSendSchema, {
        json: {
          filter: m.tagId ? { is_to_all: false, tag_id: m.tagId } : { is_to_all: true },
          mpnews: { media_id: m.mediaId },
          msgtype: 'mpnews',
          send_ignore_reprint: 0,
          clientmsgid: m.clientMsgId,
        },
      }),
    /** A cheap authenticated call: proves the token and the IP whitelist. */
    draftCount: (token: string) => call('/cgi-bin/draft/count', token, z.object({ total_count: z.number().int() }), null),
    massStatus: (token: string, msgId: string) => call('/cgi-bin/message/mass/get', token, MassGetSchema, { json: { msg_id: msgId } }),
  };
}

export type WechatApi = ReturnType<typeof createWechatApi>;
