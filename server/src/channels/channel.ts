import type {
  ChannelFailure,
  ChannelKind,
  Checkpoint,
  Platform,
  PublishOutcome,
  ReconcileOutcome,
  RenderedVariant,
  StatusOutcome,
  WechatAccountKind,
} from '@farmlive/shared';

/** Secrets of one account, decrypted only in memory and only for the call that needs them. */
export interface AccountCredentials {
  /** WeChat. */
  appSecret?: string;
  /** WeChat: the token the operator pastes into the console; signs callbacks. */
  callbackToken?: string;
  /** Weibo. */
  accessToken?: string;
}

/** The account a channel acts for. */
export interface ChannelAccount {
  id: string;
  channel: ChannelKind;
  name: string;
  /** Weibo uid or WeChat app id. */
  remoteId: string | null;
  wechatKind: WechatAccountKind | null;
  imitates: Platform | null;
  credentials: AccountCredentials;
  tokenExpiresAt: Date | null;
  /** Weibo's `rip`: the operator's real IP. */
  operatorIp: string | null;
}

/** One rendered image (from the blob store), read only when it is sent. */
export interface ChannelImage {
  key: string;
  contentType: string;
  byteLength: number;
  read(): Promise<Buffer>;
  /** Where a person can see it (sandbox previews); optional. */
  url?: string;
}

export type ImageMap = ReadonlyMap<string, ChannelImage>;

export interface PublishRequest {
  account: ChannelAccount;
  variant: RenderedVariant;
  images: ImageMap;
  /**
   * Stable for one publication across attempts: the sandbox records once per key, and WeChat
   * mass send derives its `clientmsgid` from it, so a repeat is recognised as already done.
   */
  idempotencyKey: string;
  /** From an earlier attempt's outcome: lets WeChat reuse the draft it made. */
  checkpoint?: Checkpoint;
}

export interface ReconcileRequest extends PublishRequest {
  /** When the unconfirmed attempt started. */
  attemptedAt: Date;
  /** From the unconfirmed outcome. */
  posted: 'likely' | 'unknown';
}

/** A submitted task to ask about: from a `submitted` outcome. */
export interface RemoteRef {
  via: 'freepublish' | 'mass_send';
  remoteId: string;
}

export type CheckResult = { ok: true; tokenExpiresAt: Date | null } | { ok: false; failure: ChannelFailure };

/** Usage of an account's platform windows (Weibo posts and calls, WeChat mass sends). */
export type UsageKind = 'weibo_call' | 'weibo_post' | 'wechat_mass';

export interface UsageMeter {
  /** Instants of `kind` uses since `since`, oldest first. */
  since(accountId: string, kind: UsageKind, since: Date): Promise<Date[]>;
  record(accountId: string, kind: UsageKind, at: Date): Promise<void>;
}

/**
 * The adapter that talks to one platform. Three implementations: `sandbox` (default: records and
 * previews), `weibo`, `wechat`. Every method answers with a typed outcome and never throws for
 * a platform's answer; it throws only for FarmLive's own faults (a database error).
 *
 * Never-post-twice contract: `publish` is called once per attempt; an `unconfirmed` outcome must be
 * followed by `reconcile`, never by another `publish`, until reconcile says `not_found` and `settled`.
 */
export interface Channel {
  readonly kind: ChannelKind;
  publish(req: PublishRequest): Promise<PublishOutcome>;
  /** The state of a `submitted` task (WeChat). */
  status(account: ChannelAccount, ref: RemoteRef): Promise<StatusOutcome>;
  /** Looks for the post of an unconfirmed attempt on the platform. */
  reconcile(req: ReconcileRequest): Promise<ReconcileOutcome>;
  /** Checks the credentials and learns the token's expiry (account board, after connecting). */
  check(account: ChannelAccount): Promise<CheckResult>;
}
