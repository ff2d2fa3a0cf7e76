import { createAccountsRepo, createSqlUsageMeter } from '../accounts/accounts.repo';
import { registerAccountRoutes } from '../accounts/accounts.routes';
import { createAccountsService } from '../accounts/accounts.service';
import { createCredentialsCipher } from '../accounts/credentials';
import { createGroupsService } from '../accounts/groups';
import { createWeiboConnect } from '../accounts/weibo-connect';
import type { Deps } from '../deps';
import type { HttpApp } from '../platform/http';
import { createChannelsService } from './channels.service';
import { registerSandboxRoutes } from './sandbox/sandbox.routes';
import { createSandboxChannel } from './sandbox/sandbox-channel';
import { createWechatChannel } from './wechat/wechat-channel';
import { registerWechatCallbackRoutes } from './wechat/wechat-callback.routes';
import { createWechatEvents } from './wechat/wechat-events';
import { createWeiboChannel } from './weibo/weibo-channel';

/**
 * Accounts and channels, built from the dependencies. The publishing jobs use `channels`
 * (publish, status, reconcile), `groups.accountIds` and `wechatEvents.setSink`.
 */
export function createChannelFeatures(deps: Pick<Deps, 'config' | 'db' | 'clock' | 'log'>) {
  const { config, db, clock } = deps;
  const c = config.channels;
  const log = deps.log.child({ feature: 'channels' });
  if (!c.credentialsKey) {
    log.warn('CREDENTIALS_KEY is not set: Weibo and WeChat accounts cannot be connected (sandbox accounts work). Set it to 32 random bytes, e.g. `openssl rand -base64 32`.');
  }
  const cipher = createCredentialsCipher(c.credentialsKey);
  const usage = createSqlUsageMeter(db);
  const wechat = createWechatChannel({ apiUrl: c.wechat.apiUrl, timeoutMs: c.timeoutMs, clock, log, usage });
  const weibo = createWeiboChannel({ apiUrl: c.weibo.apiUrl, timeoutMs: c.timeoutMs, clock, log, usage, safeDomain: c.weibo.safeDomain });
  const sandbox = createSandboxChannel({ db, clock, publicUrl: config.http.publicUrl, safeDomain: c.weibo.safeDomain });
  const repo = createAccountsRepo(db);
  const channels = createChannelsService({ repo, cipher, channels: { sandbox, weibo, wechat }, clock, log });
  const groups = createGroupsService({ db });
  const accounts = createAccountsService({ db, clock, cipher, channels, groups, wechatTokens: wechat.tokens, publicUrl: config.http.publicUrl });
  const weiboConnect = createWeiboConnect({ db, clock, log, config, cipher, api: weibo.api, accounts, groups });
  const wechatEvents = createWechatEvents({ db, clock, log });
  return {
    cipher,
    repo,
    groups,
    weiboConnect,
    wechatTokens: wechat.tokens,
    /** What other features use (added to `buildApp`'s services). */
    services: { channels, accounts, accountGroups: groups, wechatEvents },
  };
}

export type ChannelFeatures = ReturnType<typeof createChannelFeatures>;

export async function registerChannelFeatures(app: HttpApp, f: ChannelFeatures, deps: Pick<Deps, 'config' | 'db' | 'clock'>): Promise<void> {
  const publicUrl = deps.config.http.publicUrl;
  const options = { credentialsKeySet: f.cipher.enabled, weiboConfigured: !!(deps.config.channels.weibo.appKey && deps.config.channels.weibo.appSecret) };
  registerAccountRoutes(app, { accounts: f.services.accounts, groups: f.groups, weibo: f.weiboConnect, publicUrl, options });
  registerSandboxRoutes(app, { db: deps.db, publicUrl });
  await registerWechatCallbackRoutes(app, { repo: f.repo, cipher: f.cipher, events: f.services.wechatEvents, clock: deps.clock, maxAgeSeconds: deps.config.channels.wechat.callbackMaxAgeSeconds });
}
