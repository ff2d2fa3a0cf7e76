import { z } from 'zod';
import { ChannelKindSchema, FailureClassSchema, PlatformSchema } from './channels';
import { IdSchema, InstantSchema, humanText } from './common';

/**
 * Publishing accounts: Weibo users (OAuth 2), WeChat Official Accounts (app id and secret) and
 * sandbox accounts, grouped so that an official with hundreds of accounts picks groups.
 * Credentials never appear in these shapes.
 */

/** `needs_reauth`: the Weibo token is dead; `disabled`: misconfigured or switched off by a person. */
export const AccountStatusSchema = z.enum(['active', 'needs_reauth', 'disabled']);
export type AccountStatus = z.infer<typeof AccountStatusSchema>;

export const WechatAccountKindSchema = z.enum(['subscription', 'service']);
export type WechatAccountKind = z.infer<typeof WechatAccountKindSchema>;

/** `none`: no token (sandbox); `expiring`: re-authorise soon; `unknown`: not fetched yet. */
export const TokenStateSchema = z.enum(['none', 'unknown', 'ok', 'expiring', 'expired']);

export const AccountHealthSchema = z.object({
  token: z.object({
    state: TokenStateSchema,
    expiresAt: InstantSchema.nullable(),
    /** Weibo gives no refresh token: the operator must connect again before this instant. */
    reauthorizeBy: InstantSchema.nullable(),
  }),
  /** Usage in the platform's current windows. */
  quotas: z.array(
    z.object({
      key: z.enum(['weibo_posts_hour', 'weibo_calls_day', 'wechat_mass_day', 'wechat_mass_month']),
      label: z.string(),
      used: z.number().int(),
      limit: z.number().int(),
      /** When the oldest use in a rolling window leaves it, or when a calendar period ends. */
      freesAt: InstantSchema.nullable(),
    }),
  ),
  lastError: z
    .object({ code: z.string(), class: FailureClassSchema, message: z.string(), at: InstantSchema })
    .nullable(),
  lastSuccessAt: InstantSchema.nullable(),
  /** False when the stored credentials cannot be decrypted (CREDENTIALS_KEY missing or changed). */
  credentialsReadable: z.boolean(),
});
export type AccountHealth = z.infer<typeof AccountHealthSchema>;

export const AccountGroupRefSchema = z.object({ id: IdSchema, name: z.string() });

export const AccountSchema = z.object({
  id: IdSchema,
  channel: ChannelKindSchema,
  name: z.string(),
  /** Weibo uid or WeChat app id; null for sandbox accounts. */
  remoteId: z.string().nullable(),
  wechatKind: WechatAccountKindSchema.nullable(),
  /** The platform a sandbox account previews. */
  imitates: PlatformSchema.nullable(),
  status: AccountStatusSchema,
  /** Why the account is not active, in words the operator acts on. */
  statusReason: z.string().nullable(),
  /**
   * What put it there: `MANUAL` when a person switched it off, else the platform's code (`40164`,
   * `21327`) or FarmLive's (`LOCAL_*`), so that a page can say it in the reader's language.
   */
  statusCode: z.string().nullable(),
  groups: z.array(AccountGroupRefSchema),
  health: AccountHealthSchema,
  createdAt: InstantSchema,
});
export type Account = z.infer<typeof AccountSchema>;

export const AccountBoardSchema = z.object({
  accounts: z.array(AccountSchema),
  summary: z.object({
    total: z.number().int(),
    active: z.number().int(),
    needsReauth: z.number().int(),
    disabled: z.number().int(),
    expiringSoon: z.number().int(),
  }),
});
export type AccountBoard = z.infer<typeof AccountBoardSchema>;

export const AccountListQuerySchema = z.strictObject({
  groupId: IdSchema.optional(),
  channel: ChannelKindSchema.optional(),
  status: AccountStatusSchema.optional(),
});

export const AccountIdParamsSchema = z.strictObject({ id: IdSchema });

/** WeChat app ids are `wx` and 16 hex digits; secrets 32 hex digits. */
export const WechatAppIdSchema = z.string().trim().regex(/^wx[0-9a-f]{16}$/i, 'must be a WeChat app id (wx and 16 hex digits)');
export const WechatAppSecretSchema = z.string().trim().regex(/^[0-9a-f]{32}$/i, 'must be a WeChat app secret (32 hex digits)');

const groupIds = z.array(IdSchema).max(100).default([]);

export const CreateAccountBodySchema = z.discriminatedUnion('channel', [
  z.strictObject({ channel: z.literal('sandbox'), name: humanText(40), imitates: PlatformSchema, groupIds }),
  z.strictObject({
    channel: z.literal('wechat'),
    name: humanText(40),
    appId: WechatAppIdSchema,
    appSecret: WechatAppSecretSchema,
    wechatKind: WechatAccountKindSchema,
    groupIds,
  }),
]);
export type CreateAccountBody = z.input<typeof CreateAccountBodySchema>;

/**
 * Fields left out are unchanged. An empty or blank `appSecret` is ignored: an empty value never
 * overwrites a stored credential.
 */
export const UpdateAccountBodySchema = z.strictObject({
  name: humanText(40).optional(),
  groupIds: z.array(IdSchema).max(100).optional(),
  wechatKind: WechatAccountKindSchema.optional(),
  appSecret: z.string().max(64).trim().pipe(z.union([z.literal(''), WechatAppSecretSchema])).optional(),
});
export type UpdateAccountBody = z.input<typeof UpdateAccountBodySchema>;

/** Starts Weibo OAuth: a new account, or `accountId` to re-authorise one whose token is dying. */
export const WeiboAuthorizeBodySchema = z.strictObject({
  accountId: IdSchema.optional(),
  name: humanText(40).optional(),
  groupIds,
});
export const WeiboAuthorizeResultSchema = z.object({ url: z.string(), expiresAt: InstantSchema });

export const WeiboCallbackQuerySchema = z.object({
  code: z.string().min(1).max(200).optional(),
  state: z.string().min(1).max(200).optional(),
  error: z.string().max(200).optional(),
  error_code: z.string().max(20).optional(),
  error_description: z.string().max(500).optional(),
});

/** What the operator pastes into the WeChat console (服务器配置) for the callback. */
export const WechatCallbackSetupSchema = z.object({ url: z.string(), token: z.string() });

export const AccountDetailSchema = AccountSchema.extend({ wechatCallback: WechatCallbackSetupSchema.nullable() });
export type AccountDetail = z.infer<typeof AccountDetailSchema>;

export const SetAccountEnabledBodySchema = z.strictObject({ enabled: z.boolean() });

export const AccountGroupSchema = z.object({ id: IdSchema, name: z.string(), accountCount: z.number().int(), createdAt: InstantSchema });
export type AccountGroup = z.infer<typeof AccountGroupSchema>;

export const AccountGroupBodySchema = z.strictObject({ name: humanText(40) });
export const AccountGroupMembersBodySchema = z.strictObject({ accountIds: z.array(IdSchema).max(5_000) });

/**
 * Adds accounts to a group and takes others out, in one step, leaving every other member as it
 * was: how bulk actions on a selection change membership without overwriting what someone else
 * changed meanwhile (which replacing the whole list would).
 */
export const AccountGroupMembersPatchSchema = z
  .strictObject({ add: z.array(IdSchema).max(5_000).default([]), remove: z.array(IdSchema).max(5_000).default([]) })
  .refine((b) => b.add.length + b.remove.length > 0, 'add or remove at least one account')
  .refine((b) => {
    const removed = new Set(b.remove);
    return !b.add.some((id) => removed.has(id));
  }, 'an account cannot be both added and removed');
export type AccountGroupMembersPatch = z.input<typeof AccountGroupMembersPatchSchema>;

/** What the server can connect, so that the console offers only what will work and says why. */
export const AccountOptionsSchema = z.object({
  /** CREDENTIALS_KEY is set: Weibo and WeChat credentials can be stored. Sandbox accounts always work. */
  credentialsKeySet: z.boolean(),
  /** WEIBO_APP_KEY and WEIBO_APP_SECRET are set. */
  weiboConfigured: z.boolean(),
  /** Where Weibo sends the browser back: register it as the app's callback address. */
  weiboRedirectUri: z.string(),
});
export type AccountOptions = z.infer<typeof AccountOptionsSchema>;
