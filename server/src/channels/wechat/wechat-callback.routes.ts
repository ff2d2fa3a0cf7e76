import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountsRepo } from '../../accounts/accounts.repo';
import type { CredentialsCipher } from '../../accounts/credentials';
import type { Clock } from '../../platform/clock';
import { AppError } from '../../platform/errors';
import type { HttpApp } from '../../platform/http';
import { CallbackQuerySchema, parseWechatEvent, verifyWechatSignature } from './wechat-callback';
import type { WechatEvents } from './wechat-events';

const BODY_LIMIT = 64 * 1024;

/**
 * The callback URL an operator enters in the WeChat console (服务器配置, plaintext mode), one per
 * account: `GET` answers WeChat's verification with `echostr`; `POST` takes event XML. Both check
 * the signature and the timestamp's freshness; a POST is stored (once, whatever WeChat's retries)
 * before `success` is answered, and handed to the publishing jobs after.
 */
export async function registerWechatCallbackRoutes(
  app: HttpApp,
  deps: { repo: AccountsRepo; cipher: CredentialsCipher; events: WechatEvents; clock: Clock; maxAgeSeconds: number },
): Promise<void> {
  const params = z.strictObject({ accountId: z.uuid() });

  async function verified(accountId: string, q: z.infer<typeof CallbackQuerySchema>) {
    const row = await deps.repo.get(accountId);
    if (!row || row.channel !== 'wechat' || !row.credentials) throw new AppError('NOT_FOUND');
    const opened = deps.cipher.open(row.id, row.credentials);
    if (!opened.ok || !opened.credentials.callbackToken) throw new AppError('UNAVAILABLE', 'The account credentials cannot be read on this server.');
    if (!verifyWechatSignature(opened.credentials.callbackToken, q)) throw new AppError('CHANNEL_CALLBACK_SIGNATURE_INVALID');
    const age = Math.abs(deps.clock.now().getTime() / 1000 - Number(q.timestamp));
    if (age > deps.maxAgeSeconds) throw new AppError('CHANNEL_CALLBACK_STALE');
    return row;
  }

  const text = (reply: FastifyReply, body: string) => reply.header('content-type', 'text/plain; charset=utf-8').send(body);

  await app.register(async (scope) => {
    const r = scope.withTypeProvider<ZodTypeProvider>();
    r.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));

    r.get('/api/channels/wechat/:accountId/callback', { schema: { hide: true, params, querystring: CallbackQuerySchema } }, async (req, reply) => {
      await verified(req.params.accountId, req.query);
      if (!req.query.echostr) throw new AppError('VALIDATION_FAILED', 'echostr is missing.');
      return text(reply, req.query.echostr);
    });

    r.post('/api/channels/wechat/:accountId/callback', { schema: { hide: true, params, querystring: CallbackQuerySchema }, bodyLimit: BODY_LIMIT }, async (req, reply) => {
      if (req.query.encrypt_type && req.query.encrypt_type !== 'raw') throw new AppError('CHANNEL_CALLBACK_UNSUPPORTED');
      const row = await verified(req.params.accountId, req.query);
      if (typeof req.body !== 'string') throw new AppError('CHANNEL_CALLBACK_MALFORMED');
      const parsed = parseWechatEvent(req.body);
      if (!parsed.ok) throw new AppError('CHANNEL_CALLBACK_MALFORMED', undefined, { reason: parsed.message });
      const { result, stored } = await deps.events.accept({
        accountId: row.id,
        nonce: req.query.nonce,
        timestamp: Number(req.query.timestamp),
        dedupeKey: parsed.dedupeKey,
        event: parsed.event,
        raw: parsed.raw,
        maxAgeSeconds: deps.maxAgeSeconds,
      });
      if (result === 'replayed') throw new AppError('CHANNEL_CALLBACK_REPLAYED');
      // Answered before the handler runs: WeChat waits at most 5 s, and the event is safe in the table.
      if (stored) setImmediate(() => void deps.events.dispatch(stored));
      return text(reply, 'success');
    });
  });
}
