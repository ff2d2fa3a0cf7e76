import { z } from 'zod';
import { ChannelKindSchema, FailureClassSchema, PlatformSchema } from './channels';
import { IdSchema, InstantSchema } from './common';

/**
 * Publications (one story to one account at one time), scheduling, and attribution figures.
 * The routes are listed at the top of stories.ts.
 */

/**
 * - `scheduled`: waiting for its time (`scheduledAt`, or `nextAttemptAt` after a retryable failure).
 * - `publishing`: an attempt is under way.
 * - `submitted`: WeChat accepted a task; its outcome is polled and taken from the callback.
 * - `unconfirmed`: the platform's answer was lost or deferred; reconciliation decides, never a repost.
 * - `published`: live (`remoteUrl` when the platform gives one).
 * - `failed`: will not be tried again without a person (`reason`); `retry` puts it back.
 * - `parked`: the account's quota or window is spent, or its token is dead; tried again at `nextAttemptAt`
 *   (quota) or after the operator reconnects and retries (token).
 * - `needs_person`: someone must act on the platform (captcha, admin confirmation), then retry.
 * - `cancelled`: taken off the schedule by an editor.
 */
export const PublicationStatusSchema = z.enum(['scheduled', 'publishing', 'submitted', 'unconfirmed', 'published', 'failed', 'parked', 'needs_person', 'cancelled']);
export type PublicationStatus = z.infer<typeof PublicationStatusSchema>;

/** Statuses a publication never leaves on its own. */
export const FINAL_PUBLICATION_STATUSES = ['published', 'failed', 'needs_person', 'cancelled'] as const satisfies readonly PublicationStatus[];

/** `publish`: WeChat freepublish (no push, no quota); `mass_send`: push to followers (1 a day for a subscription account). */
export const WechatModeSchema = z.enum(['publish', 'mass_send']);
export type WechatMode = z.infer<typeof WechatModeSchema>;

export const MAX_SCHEDULE_ACCOUNTS = 5_000;

/**
 * When the publications go.
 * - `now`: as soon as possible (each account still within its platform's limits).
 * - `at`: all at one instant.
 * - `staggered`: from `startAt`, `batchSize` accounts every `intervalSeconds`.
 * In every plan an account's time moves later when its platform's window would be exceeded
 * (Weibo 30 posts an hour per user; WeChat mass send once a day for a subscription account, four
 * a month for a service account), counting publications already scheduled.
 */
export const SchedulePlanSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('now') }),
  z.strictObject({ kind: z.literal('at'), at: InstantSchema }),
  z.strictObject({
    kind: z.literal('staggered'),
    startAt: InstantSchema,
    intervalSeconds: z.number().int().min(10).max(86_400),
    batchSize: z.number().int().min(1).max(1_000),
  }),
]);
export type SchedulePlan = z.infer<typeof SchedulePlanSchema>;

export const ScheduleRequestSchema = z
  .strictObject({
    accountIds: z.array(IdSchema).max(MAX_SCHEDULE_ACCOUNTS).default([]),
    /** Every active member of these groups (together with `accountIds`, each account once). */
    groupIds: z.array(IdSchema).max(100).default([]),
    plan: SchedulePlanSchema,
    wechatMode: WechatModeSchema.default('publish'),
    /** Work out the times without creating anything (the calendar's preview). */
    dryRun: z.boolean().default(false),
  })
  .refine((r) => r.accountIds.length + r.groupIds.length > 0, { message: 'pick at least one account or group', path: ['accountIds'] });
export type ScheduleRequest = z.input<typeof ScheduleRequestSchema>;

/** Why an account picked for a schedule got no publication. */
export const ScheduleSkipSchema = z.object({
  accountId: IdSchema,
  code: z.enum(['ACCOUNT_NOT_FOUND', 'ACCOUNT_DISABLED', 'ACCOUNT_NEEDS_REAUTH', 'ALREADY_SCHEDULED']),
  reason: z.string(),
});

export const PublicationSchema = z.object({
  id: IdSchema,
  storyId: IdSchema,
  storyTitle: z.string(),
  accountId: IdSchema,
  accountName: z.string(),
  channel: ChannelKindSchema,
  platform: PlatformSchema,
  wechatMode: WechatModeSchema.nullable(),
  status: PublicationStatusSchema,
  /** When it was planned to go. */
  scheduledAt: InstantSchema,
  /** When the next attempt, status poll or reconciliation runs (null when nothing is waiting). */
  nextAttemptAt: InstantSchema.nullable(),
  /** Calls made to the platform to publish it. */
  attempts: z.number().int(),
  /** For the editor: why it failed, is parked, is unconfirmed or needs a person. */
  reason: z.string().nullable(),
  /** The platform's code (`45009`, `20019`) or FarmLive's (`LOCAL_*`), to say it in the reader's language. */
  reasonCode: z.string().nullable(),
  failureClass: FailureClassSchema.nullable(),
  remoteId: z.string().nullable(),
  /** The live post or article. */
  remoteUrl: z.string().nullable(),
  /** The attribution short link (`https://<domain>/s/<code>`). */
  link: z.string(),
  publishedAt: InstantSchema.nullable(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});
export type Publication = z.infer<typeof PublicationSchema>;

export const ScheduleResultSchema = z.object({
  dryRun: z.boolean(),
  /** The publications made (or, for a dry run, that would be made; ids are then placeholders). */
  publications: z.array(PublicationSchema),
  skipped: z.array(ScheduleSkipSchema),
  /** How many got a later time than the plan asked for, to respect a platform's limits. */
  shifted: z.number().int(),
});
export type ScheduleResult = z.infer<typeof ScheduleResultSchema>;

export const PublicationListQuerySchema = z.strictObject({
  storyId: IdSchema.optional(),
  accountId: IdSchema.optional(),
  status: PublicationStatusSchema.optional(),
  /** The calendar: scheduled between these instants. */
  from: InstantSchema.optional(),
  to: InstantSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
  /** Paging: publications scheduled after this one (its scheduledAt and id, as `<instant>_<id>`). */
  after: z.string().regex(/^[\dT:.Z+-]{20,40}_[0-9a-f-]{36}$/).optional(),
});

export const PublicationBoardSchema = z.object({
  publications: z.array(PublicationSchema),
  /** Counts by status over the whole filter (not only this page). */
  counts: z.record(PublicationStatusSchema, z.number().int()),
  /** Pass as `after` for the next page; null at the end. */
  next: z.string().nullable(),
});
export type PublicationBoard = z.infer<typeof PublicationBoardSchema>;

/** One call (or reconciliation, or status answer) made for a publication. */
export const PublicationAttemptSchema = z.object({
  at: InstantSchema,
  action: z.enum(['schedule', 'publish', 'status', 'reconcile', 'callback', 'retry', 'cancel', 'sweep']),
  /** What came of it: an outcome status (`published`, `failed`, ...) or a failure class. */
  result: z.string(),
  code: z.string().nullable(),
  reason: z.string().nullable(),
});
export type PublicationAttempt = z.infer<typeof PublicationAttemptSchema>;

export const PublicationDetailSchema = PublicationSchema.extend({ history: z.array(PublicationAttemptSchema) });
export type PublicationDetail = z.infer<typeof PublicationDetailSchema>;

export const PublicationIdParamsSchema = z.strictObject({ id: IdSchema });

// Attribution.

/** Short link codes: 8 characters of an unambiguous alphabet. */
export const LinkCodeSchema = z.string().regex(/^[23456789abcdefghjkmnpqrstuvwxyz]{8}$/, 'must be a link code');
export const LinkCodeParamsSchema = z.strictObject({ code: z.string().max(64) });

/** The room page calls this with `?ref=` from the URL, so the signed-in buyer's orders are credited. */
export const AttributionTouchBodySchema = z.strictObject({ code: LinkCodeSchema });

/** An order counts for the last link its buyer came through in the 7 days before it. */
export const ATTRIBUTION_WINDOW_DAYS = 7;

export const FiguresQuerySchema = z.strictObject({
  from: InstantSchema.optional(),
  to: InstantSchema.optional(),
});

/** Money in fen. `orders` counts every order credited; `paidOrders` and `revenueFen` only those paid (not refunded). */
export const FiguresSchema = z.object({
  publications: z.number().int(),
  published: z.number().int(),
  visits: z.number().int(),
  /** Distinct visitors (by browser cookie). */
  visitors: z.number().int(),
  orders: z.number().int(),
  paidOrders: z.number().int(),
  revenueFen: z.number().int(),
});
export type Figures = z.infer<typeof FiguresSchema>;

export const AccountFiguresSchema = FiguresSchema.extend({ accountId: IdSchema, accountName: z.string(), channel: ChannelKindSchema });
export type AccountFigures = z.infer<typeof AccountFiguresSchema>;
export const AccountFiguresListSchema = z.object({ accounts: z.array(AccountFiguresSchema), total: FiguresSchema });

export const StoryFiguresSchema = FiguresSchema.extend({
  storyId: IdSchema,
  title: z.string(),
  /** The same figures per account that published the story. */
  byAccount: z.array(AccountFiguresSchema),
});
export type StoryFigures = z.infer<typeof StoryFiguresSchema>;
export const StoryFiguresListSchema = z.object({ stories: z.array(StoryFiguresSchema.omit({ byAccount: true })), total: FiguresSchema });
