import { createHash, timingSafeEqual } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import type { StatusOutcome } from '@farmlive/shared';
import { publishStatusOutcome } from './wechat-channel';

/** WeChat's callback signature: sha1 of token, timestamp and nonce, sorted and joined. */
export const wechatSignature = (token: string, timestamp: string, nonce: string) =>
  createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');

export function verifyWechatSignature(token: string, q: { signature: string; timestamp: string; nonce: string }): boolean {
  const expected = Buffer.from(wechatSignature(token, q.timestamp, q.nonce), 'hex');
  const given = Buffer.from(q.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const CallbackQuerySchema = z.object({
  signature: z.string().regex(/^[0-9a-f]{40}$/i),
  timestamp: z.string().regex(/^\d{1,12}$/),
  nonce: z.string().min(1).max(64).regex(/^[\w-]+$/),
  echostr: z.string().max(512).optional(),
  openid: z.string().max(128).optional(),
  encrypt_type: z.string().max(16).optional(),
  msg_signature: z.string().max(64).optional(),
});

/** What the publishing jobs receive; `outcome` is the same shape `Channel.status` answers. */
export type WechatEvent =
  | { kind: 'publish_finished'; publishId: string; articleId: string | null; outcome: StatusOutcome }
  | { kind: 'mass_send_finished'; msgId: string; status: string; totalCount: number; filterCount: number; sentCount: number; errorCount: number }
  | { kind: 'other'; msgType: string; event: string | null };

const num = z.coerce.number().int().min(0);
const Base = z.object({
  ToUserName: z.string().min(1).max(128),
  FromUserName: z.string().min(1).max(128),
  CreateTime: z.string().regex(/^\d{1,12}$/),
  MsgType: z.string().min(1).max(32),
  Event: z.string().max(64).optional(),
  MsgId: z.string().max(32).optional(),
});
const PublishInfo = z.object({
  publish_id: z.string().regex(/^\d{1,32}$/),
  publish_status: num,
  article_id: z.string().max(256).optional(),
  article_detail: z.object({ count: num, item: z.array(z.object({ idx: num, article_url: z.string().max(2048) })).max(8).default([]) }).optional(),
  fail_idx: z.array(num).max(8).optional(),
});
const MassFinished = z.object({ MsgID: z.string().regex(/^\d{1,32}$/), Status: z.string().max(64), TotalCount: num, FilterCount: num, SentCount: num, ErrorCount: num });

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: false,
  ignoreDeclaration: true,
  isArray: (name) => name === 'item' || name === 'fail_idx',
});

export type ParsedEvent = { ok: true; event: WechatEvent; dedupeKey: string; raw: Record<string, unknown> } | { ok: false; message: string };

/**
 * Parses a callback body. No document type declarations: they are how XML entity attacks start,
 * and WeChat never sends one. The dedupe key is what WeChat keeps the same across its retries.
 */
export function parseWechatEvent(xml: string): ParsedEvent {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return { ok: false, message: 'document type declarations are refused' };
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch (err) {
    return { ok: false, message: `not XML: ${(err as Error).message}`.slice(0, 200) };
  }
  const raw = (doc as { xml?: unknown } | null)?.xml;
  const base = Base.safeParse(raw);
  if (!base.success) return { ok: false, message: 'not a WeChat message' };
  const b = base.data;
  const rawObj = raw as Record<string, unknown>;
  if (b.MsgType === 'event' && b.Event === 'PUBLISHJOBFINISH') {
    const info = PublishInfo.safeParse(rawObj.PublishEventInfo);
    if (!info.success) return { ok: false, message: 'PublishEventInfo is malformed' };
    const i = info.data;
    const items = (i.article_detail?.item ?? []).map((it) => ({ idx: it.idx, article_url: it.article_url }));
    const outcome = publishStatusOutcome(i.publish_status, i.article_id ?? i.publish_id, items, i.fail_idx ?? []);
    return { ok: true, event: { kind: 'publish_finished', publishId: i.publish_id, articleId: i.article_id ?? null, outcome }, dedupeKey: `publish:${i.publish_id}`, raw: rawObj };
  }
  if (b.MsgType === 'event' && b.Event === 'MASSSENDJOBFINISH') {
    const m = MassFinished.safeParse(rawObj);
    if (!m.success) return { ok: false, message: 'MASSSENDJOBFINISH is malformed' };
    const d = m.data;
    return {
      ok: true,
      event: { kind: 'mass_send_finished', msgId: d.MsgID, status: d.Status, totalCount: d.TotalCount, filterCount: d.FilterCount, sentCount: d.SentCount, errorCount: d.ErrorCount },
      dedupeKey: `mass:${d.MsgID}`,
      raw: rawObj,
    };
  }
  // Other messages and events: WeChat's advice is MsgId, or sender and creation time for events.
  const key = b.MsgId ? `msg:${b.MsgId}` : `evt:${b.FromUserName}:${b.CreateTime}:${b.Event ?? b.MsgType}`;
  return { ok: true, event: { kind: 'other', msgType: b.MsgType, event: b.Event ?? null }, dedupeKey: key, raw: rawObj };
}
