import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { User } from '@farmlive/shared';
import type { WeiboApi } from '../channels/weibo/weibo-api';
import type { Config } from '../config';
import type { Clock } from '../platform/clock';
import type { Db } from '../platform/db/db';
import { maybeOne } from '../platform/db/db';
import { AppError } from '../platform/errors';
import type { Logger } from '../platform/logger';
import type { AccountsService } from './accounts.service';
import type { CredentialsCipher } from './credentials';
import type { GroupsService } from './groups';

const STATE_TTL_MS = 10 * 60_000;
const hashState = (s: string) => createHash('sha256').update(`oauth-state:${s}`).digest('hex');

const StateRow = z.object({ user_id: z.string(), account_id: z.string().nullable(), name: z.string().nullable(), group_ids: z.array(z.string()) });

export const weiboRedirectUri = (publicUrl: string) => `${publicUrl}/api/accounts/weibo/callback`;

export interface WeiboConnect {
  /** Starts OAuth: stores a single-use state bound to `user` and returns Weibo's authorize URL. */
  start(user: User, body: { accountId?: string; name?: string; groupIds?: string[] }): Promise<{ url: string; expiresAt: string }>;
  /**
   * Finishes OAuth on the callback. The state must be known, unused, unexpired and started by the
   * same signed-in person (a link started by someone else cannot attach their Weibo user to this
   * person's FarmLive, which is the CSRF the state parameter exists to stop). It is spent first,
   * so a replay fails even when the first use failed later on.
   */
  finish(user: User | null, q: { code?: string; state?: string; error?: string }, ip: string): Promise<string>;
}

export function createWeiboConnect(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  config: Config;
  cipher: CredentialsCipher;
  api: WeiboApi;
  accounts: AccountsService;
  groups: GroupsService;
}): WeiboConnect {
  const { db, clock, config } = deps;
  const weibo = config.channels.weibo;
  const app = () => {
    if (!weibo.appKey || !weibo.appSecret) throw new AppError('ACCOUNT_WEIBO_NOT_CONFIGURED');
    if (!deps.cipher.enabled) throw new AppError('ACCOUNT_CREDENTIALS_KEY_MISSING');
    return { appKey: weibo.appKey, appSecret: weibo.appSecret };
  };
  const redirectUri = weiboRedirectUri(config.http.publicUrl);

  return {
    async start(user, body) {
      const { appKey } = app();
      if (body.accountId) {
        const detail = await deps.accounts.detail(body.accountId);
        if (detail.channel !== 'weibo') throw new AppError('ACCOUNT_WRONG_CHANNEL');
      }
      await deps.groups.assertExist(body.groupIds ?? []);
      const now = clock.now();
      const state = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + STATE_TTL_MS);
      await db.query(`delete from oauth_states where expires_at < $1`, [new Date(now.getTime() - STATE_TTL_MS)]);
      await db.query(
        `insert into oauth_states (state_hash, user_id, account_id, name, group_ids, expires_at, created_at) values ($1, $2, $3, $4, $5, $6, $7)`,
        [hashState(state), user.id, body.accountId ?? null, body.name ?? null, body.groupIds ?? [], expiresAt, now],
      );
      return { url: deps.api.authorizeUrl(appKey, redirectUri, state), expiresAt: expiresAt.toISOString() };
    },

    async finish(user, q, ip) {
      const creds = app();
      if (!q.state) throw new AppError('ACCOUNT_OAUTH_STATE_INVALID');
      const now = clock.now();
      const row = await maybeOne(
        db.query(
          `update oauth_states set used_at = $2 where state_hash = $1 and used_at is null and expires_at > $2
           returning user_id, account_id, name, group_ids`,
          [hashState(q.state), now],
        ),
        StateRow,
      );
      if (!row || !user || user.id !== row.user_id) throw new AppError('ACCOUNT_OAUTH_STATE_INVALID');
      if (q.error || !q.code) throw new AppError('ACCOUNT_OAUTH_DENIED');

      const exchanged = await deps.api.accessToken(creds, q.code, redirectUri);
      if (!exchanged.ok) {
        deps.log.warn({ error: exchanged.error }, 'weibo code exchange failed');
        throw new AppError('ACCOUNT_OAUTH_EXCHANGE_FAILED');
      }
      // get_token_info tells the remaining life exactly; the exchange's expires_in is the fallback.
      const info = await deps.api.tokenInfo(exchanged.data.access_token);
      const expiresIn = info.ok ? info.data.expiresIn : exchanged.data.expires_in;
      return deps.accounts.saveWeiboToken({
        userId: user.id,
        accountId: row.account_id,
        uid: exchanged.data.uid,
        name: row.name,
        groupIds: row.group_ids,
        accessToken: exchanged.data.access_token,
        expiresAt: new Date(now.getTime() + expiresIn * 1000),
        operatorIp: ip,
      });
    },
  };
}
