import { randomBytes, randomUUID } from 'node:crypto';
import type { AccountBoard, AccountDetail, AccountStatus, ChannelKind, CreateAccountBody, User } from '@farmlive/shared';
import type { AccountCredentials } from '../channels/channel';
import { MANUAL_DISABLE, type ChannelsService } from '../channels/channels.service';
import type { WechatTokens } from '../channels/wechat/wechat-tokens';
import type { Clock } from '../platform/clock';
import type { Db } from '../platform/db/db';
import { AppError } from '../platform/errors';
import { createAccountsRepo, isUniqueViolation, type AccountRow } from './accounts.repo';
import { summarise, toAccount, usageWindows } from './board';
import { mergeCredentials, type CredentialsCipher } from './credentials';
import type { GroupsService } from './groups';

export const wechatCallbackUrl = (publicUrl: string, accountId: string) => `${publicUrl}/api/channels/wechat/${accountId}/callback`;

export interface AccountsService {
  board(filter: { groupId?: string; channel?: ChannelKind; status?: AccountStatus }): Promise<AccountBoard>;
  detail(id: string): Promise<AccountDetail>;
  create(user: User, body: CreateAccountBody): Promise<AccountDetail>;
  update(id: string, patch: { name?: string; groupIds?: string[]; wechatKind?: 'subscription' | 'service'; appSecret?: string }): Promise<AccountDetail>;
  setEnabled(user: User, id: string, enabled: boolean): Promise<AccountDetail>;
  check(id: string): Promise<AccountDetail>;
  archive(id: string): Promise<void>;
  /** Weibo connect: a new account or fresh token for a known one. Returns the account id. */
  saveWeiboToken(p: { userId: string; accountId: string | null; uid: string; name: string | null; groupIds: string[]; accessToken: string; expiresAt: Date; operatorIp: string }): Promise<string>;
}

export function createAccountsService(deps: {
  db: Db;
  clock: Clock;
  cipher: CredentialsCipher;
  channels: ChannelsService;
  groups: GroupsService;
  wechatTokens: WechatTokens;
  publicUrl: string;
}): AccountsService {
  const { db, clock, cipher, channels, groups } = deps;
  const repo = createAccountsRepo(db);

  const readable = (row: AccountRow) => !row.credentials || cipher.open(row.id, row.credentials).ok;
  const stored = (row: AccountRow): AccountCredentials => {
    if (!row.credentials) return {};
    const opened = cipher.open(row.id, row.credentials);
    if (!opened.ok) throw new AppError(opened.reason === 'no_key' ? 'ACCOUNT_CREDENTIALS_KEY_MISSING' : 'ACCOUNT_CREDENTIALS_UNREADABLE');
    return opened.credentials;
  };
  const requireKey = () => {
    if (!cipher.enabled) throw new AppError('ACCOUNT_CREDENTIALS_KEY_MISSING');
  };
  const must = async (id: string) => {
    const row = await repo.get(id);
    if (!row) throw new AppError('ACCOUNT_NOT_FOUND');
    return row;
  };
  const insert = async (p: Parameters<typeof repo.insert>[0]) => {
    try {
      await repo.insert(p);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('ACCOUNT_ALREADY_CONNECTED');
      throw err;
    }
  };

  const service: AccountsService = {
    async board(filter) {
      const now = clock.now();
      const [rows, usage] = await Promise.all([repo.list(filter), repo.usage(now, usageWindows(now))]);
      const byAccount = new Map(usage.map((u) => [u.account_id, u]));
      const accounts = rows.map((r) => toAccount(r, byAccount.get(r.id), now, readable(r)));
      return { accounts, summary: summarise(accounts) };
    },

    async detail(id) {
      const row = await must(id);
      const now = clock.now();
      const usage = (await repo.usage(now, usageWindows(now))).find((u) => u.account_id === id);
      const ok = readable(row);
      const token = row.channel === 'wechat' && ok ? stored(row).callbackToken : undefined;
      return {
        ...toAccount(row, usage, now, ok),
        wechatCallback: token ? { url: wechatCallbackUrl(deps.publicUrl, row.id), token } : null,
      };
    },

    async create(user, body) {
      const id = randomUUID();
      const now = clock.now();
      await groups.assertExist(body.groupIds ?? []);
      if (body.channel === 'sandbox') {
        await insert({ id, channel: 'sandbox', name: body.name, remoteId: null, wechatKind: null, imitates: body.imitates, credentials: null, tokenExpiresAt: null, operatorIp: null, createdBy: user.id, now });
      } else {
        requireKey();
        const appId = body.appId.toLowerCase();
        // The callback token is ours to choose: WeChat takes 3 to 32 letters and digits.
        const credentials = cipher.seal(id, { appSecret: body.appSecret, callbackToken: randomBytes(16).toString('hex') });
        await insert({ id, channel: 'wechat', name: body.name, remoteId: appId, wechatKind: body.wechatKind, imitates: null, credentials, tokenExpiresAt: null, operatorIp: null, createdBy: user.id, now });
        deps.wechatTokens.forget(appId);
      }
      await repo.setGroups(id, body.groupIds ?? []);
      // The account is kept whatever the check says: the board shows what to fix.
      if (body.channel !== 'sandbox') await channels.check(id);
      return service.detail(id);
    },

    async update(id, patch) {
      const row = await must(id);
      if (patch.groupIds) await groups.assertExist(patch.groupIds);
      if ((patch.wechatKind || patch.appSecret) && row.channel !== 'wechat') throw new AppError('ACCOUNT_WRONG_CHANNEL');
      let credentials: string | undefined;
      // An empty secret is "unchanged", never "erase".
      if (patch.appSecret?.trim()) {
        requireKey();
        credentials = cipher.seal(id, mergeCredentials(stored(row), { appSecret: patch.appSecret }));
      }
      await repo.update(id, { name: patch.name, wechatKind: patch.wechatKind, credentials, now: clock.now() });
      if (patch.groupIds) await repo.setGroups(id, patch.groupIds);
      if (credentials) {
        deps.wechatTokens.forget(row.remote_id!);
        await channels.check(id);
      }
      return service.detail(id);
    },

    async setEnabled(user, id, enabled) {
      const row = await must(id);
      if (!enabled) {
        await repo.setStatus(id, 'disabled', MANUAL_DISABLE, `Switched off by ${user.displayName}.`, clock.now());
      } else if (row.status === 'disabled') {
        await repo.setStatus(id, 'active', null, null, clock.now());
        await channels.check(id);
      }
      return service.detail(id);
    },

    async check(id) {
      await must(id);
      await channels.check(id);
      return service.detail(id);
    },

    async archive(id) {
      await must(id);
      await repo.archive(id, clock.now());
    },

    async saveWeiboToken(p) {
      requireKey();
      const now = clock.now();
      const existing = p.accountId ? await must(p.accountId) : await repo.byRemote('weibo', p.uid);
      if (existing) {
        if (existing.channel !== 'weibo') throw new AppError('ACCOUNT_WRONG_CHANNEL');
        if (existing.remote_id !== p.uid) throw new AppError('ACCOUNT_OAUTH_WRONG_USER');
        const credentials = cipher.seal(existing.id, mergeCredentials(readable(existing) ? stored(existing) : {}, { accessToken: p.accessToken }));
        await repo.update(existing.id, { credentials, tokenExpiresAt: p.expiresAt, operatorIp: p.operatorIp, name: p.name ?? undefined, now });
        if (existing.status !== 'active' && existing.status_code !== MANUAL_DISABLE) await repo.setStatus(existing.id, 'active', null, null, now);
        if (p.groupIds.length) await repo.setGroups(existing.id, [...new Set([...existing.groups.map((g) => g.id), ...p.groupIds])]);
        return existing.id;
      }
      const id = randomUUID();
      await insert({
        id,
        channel: 'weibo',
        name: p.name ?? `微博 ${p.uid}`,
        remoteId: p.uid,
        wechatKind: null,
        imitates: null,
        credentials: cipher.seal(id, { accessToken: p.accessToken }),
        tokenExpiresAt: p.expiresAt,
        operatorIp: p.operatorIp,
        createdBy: p.userId,
        now,
      });
      await repo.setGroups(id, p.groupIds);
      return id;
    },
  };
  return service;
}
