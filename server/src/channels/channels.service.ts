import {
  ChannelKindSchema,
  RenderedVariantSchema,
  type ChannelFailure,
  type ChannelKind,
  type Checkpoint,
  type PublishOutcome,
  type ReconcileOutcome,
  type StatusOutcome,
} from '@farmlive/shared';
import type { Logger } from 'pino';
import type { AccountRow, AccountsRepo } from '../accounts/accounts.repo';
import type { CredentialsCipher } from '../accounts/credentials';
import type { Clock } from '../platform/clock';
import { AppError, issuesToDetails } from '../platform/errors';
import type { Channel, ChannelAccount, CheckResult, ImageMap, RemoteRef } from './channel';
import { failed, failure } from './failures';

/** Set when a person switched the account off; a passing check does not switch it back on. */
export const MANUAL_DISABLE = 'MANUAL';

export interface PublishOptions {
  idempotencyKey: string;
  checkpoint?: Checkpoint;
}

/**
 * What the publishing jobs call: one account, one variant. Loads the account and opens its
 * credentials, refuses accounts that are disabled or need re-authorisation without calling the
 * platform, hands the work to the account's channel, and keeps the account's health up to date
 * (a misconfigured account is disabled with the reason, a dead Weibo token marks it
 * `needs_reauth`, the last error and success are kept for the board).
 */
export interface ChannelsService {
  publish(accountId: string, variant: unknown, images: ImageMap, opts: PublishOptions): Promise<PublishOutcome>;
  status(accountId: string, ref: RemoteRef): Promise<StatusOutcome>;
  reconcile(accountId: string, variant: unknown, images: ImageMap, opts: PublishOptions & { attemptedAt: Date; posted: 'likely' | 'unknown' }): Promise<ReconcileOutcome>;
  /** Checks credentials; a pass re-enables an account disabled by a platform error. */
  check(accountId: string): Promise<CheckResult>;
  channel(kind: ChannelKind): Channel;
}

export function createChannelsService(deps: {
  repo: AccountsRepo;
  cipher: CredentialsCipher;
  channels: Record<ChannelKind, Channel>;
  clock: Clock;
  log: Logger;
}): ChannelsService {
  const { repo, cipher, clock, log } = deps;

  type Loaded = { ok: true; row: AccountRow; account: ChannelAccount } | { ok: false; row: AccountRow; failure: ChannelFailure };

  async function load(accountId: string, opts: { active: boolean }): Promise<Loaded> {
    const row = await repo.get(accountId);
    if (!row) throw new AppError('ACCOUNT_NOT_FOUND');
    if (opts.active && row.status === 'disabled') {
      return { ok: false, row, failure: failure('misconfigured', 'LOCAL_ACCOUNT_DISABLED', '', row.status_reason ?? 'The account is disabled.') };
    }
    if (opts.active && row.status === 'needs_reauth') {
      return { ok: false, row, failure: failure('reauthorize', 'LOCAL_NEEDS_REAUTH', '', row.status_reason ?? 'The account must be connected again.') };
    }
    let credentials = {};
    if (row.credentials) {
      const opened = cipher.open(row.id, row.credentials);
      if (!opened.ok) {
        const why = opened.reason === 'no_key' ? 'CREDENTIALS_KEY is not set on the server' : opened.reason === 'other_key' ? 'they were encrypted with another CREDENTIALS_KEY' : 'they are damaged';
        return { ok: false, row, failure: failure('misconfigured', 'LOCAL_CREDENTIALS_UNREADABLE', '', `The account's credentials cannot be read: ${why}.`) };
      }
      credentials = opened.credentials;
    }
    const account: ChannelAccount = {
      id: row.id,
      channel: row.channel,
      name: row.name,
      remoteId: row.remote_id,
      wechatKind: row.wechat_kind,
      imitates: row.imitates,
      credentials,
      tokenExpiresAt: row.token_expires_at,
      operatorIp: row.operator_ip,
    };
    return { ok: true, row, account };
  }

  /** Keeps the account's health in step with what the platform said. */
  async function note(row: AccountRow, f: ChannelFailure | null) {
    const at = clock.now();
    if (!f) return repo.recordSuccess(row.id, at);
    if (f.code === 'LOCAL_ACCOUNT_DISABLED' || f.code === 'LOCAL_NEEDS_REAUTH') return;
    await repo.recordError(row.id, f, at);
    if (f.code === 'LOCAL_CREDENTIALS_UNREADABLE') return; // the server's key, not the account, is wrong
    if (f.class === 'misconfigured' && row.status !== 'disabled') {
      log.warn({ accountId: row.id, code: f.code }, 'account disabled: misconfigured');
      await repo.setStatus(row.id, 'disabled', f.code, f.reason, at);
    } else if (f.class === 'reauthorize' && row.status === 'active') {
      log.warn({ accountId: row.id, code: f.code }, 'account needs re-authorisation');
      await repo.setStatus(row.id, 'needs_reauth', f.code, f.reason, at);
    }
  }

  const channelFor = (kind: ChannelKind) => deps.channels[ChannelKindSchema.parse(kind)];

  function parseVariant(variant: unknown) {
    const parsed = RenderedVariantSchema.safeParse(variant);
    if (parsed.success) return { ok: true as const, variant: parsed.data };
    const issues = issuesToDetails(parsed.error.issues);
    return { ok: false as const, failure: failure('bad_request', 'LOCAL_INVALID_VARIANT', '', `The rendered variant is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`) };
  }

  return {
    channel: channelFor,

    async publish(accountId, variant, images, opts) {
      const loaded = await load(accountId, { active: true });
      if (!loaded.ok) return failed(loaded.failure, opts.checkpoint ?? {});
      const v = parseVariant(variant);
      if (!v.ok) return failed(v.failure);
      const outcome = await channelFor(loaded.row.channel).publish({ account: loaded.account, variant: v.variant, images, ...opts });
      if (outcome.status === 'failed') await note(loaded.row, outcome.failure);
      else if (outcome.status !== 'unconfirmed') await note(loaded.row, null);
      return outcome;
    },

    async status(accountId, ref) {
      const loaded = await load(accountId, { active: false });
      if (!loaded.ok) return { status: 'failed', failure: loaded.failure };
      const outcome = await channelFor(loaded.row.channel).status(loaded.account, ref);
      if (outcome.status === 'failed') await note(loaded.row, outcome.failure);
      return outcome;
    },

    async reconcile(accountId, variant, images, opts) {
      // Reconciliation only reads: it runs for a disabled account too, so that nothing stays unknown.
      const loaded = await load(accountId, { active: false });
      if (!loaded.ok) return { status: 'failed', failure: loaded.failure };
      const v = parseVariant(variant);
      if (!v.ok) return { status: 'failed', failure: v.failure };
      const outcome = await channelFor(loaded.row.channel).reconcile({ account: loaded.account, variant: v.variant, images, ...opts });
      if (outcome.status === 'failed') await note(loaded.row, outcome.failure);
      return outcome;
    },

    async check(accountId) {
      const loaded = await load(accountId, { active: false });
      if (!loaded.ok) {
        await note(loaded.row, loaded.failure);
        return { ok: false, failure: loaded.failure };
      }
      const { row } = loaded;
      const result = await channelFor(row.channel).check(loaded.account);
      const at = clock.now();
      if (!result.ok) {
        await note(row, result.failure);
        return result;
      }
      if (result.tokenExpiresAt) await repo.update(row.id, { tokenExpiresAt: result.tokenExpiresAt, now: at });
      if (row.status !== 'active' && row.status_code !== MANUAL_DISABLE) await repo.setStatus(row.id, 'active', null, null, at);
      // The platform answered: the board's last error is behind it, and says so by time.
      await repo.recordSuccess(row.id, at);
      return result;
    },
  };
}
