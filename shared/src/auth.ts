import { z } from 'zod';
import { IdSchema, LocaleSchema } from './common';

/** Mainland China mobile numbers: 11 digits starting 13 to 19. */
export const PhoneSchema = z.string().regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number');

export const RoleSchema = z.enum(['viewer', 'host', 'official', 'reviewer', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

export const RequestCodeBodySchema = z.strictObject({ phone: PhoneSchema });
export type RequestCodeBody = z.infer<typeof RequestCodeBodySchema>;

export const RequestCodeResultSchema = z.object({
  expiresInSeconds: z.number().int(),
  retryAfterSeconds: z.number().int(),
});
export type RequestCodeResult = z.infer<typeof RequestCodeResultSchema>;

export const VerifyCodeBodySchema = z.strictObject({
  phone: PhoneSchema,
  code: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
});
export type VerifyCodeBody = z.infer<typeof VerifyCodeBodySchema>;

export const UserSchema = z.object({
  id: IdSchema,
  phone: z.string(),
  displayName: z.string(),
  roles: z.array(RoleSchema),
  locale: LocaleSchema,
});
export type User = z.infer<typeof UserSchema>;

/** A user as other people see them: never the phone number. */
export const PublicUserSchema = UserSchema.pick({ id: true, displayName: true });
export type PublicUser = z.infer<typeof PublicUserSchema>;

export const SignInResultSchema = z.object({ user: UserSchema, token: z.string() });
export type SignInResult = z.infer<typeof SignInResultSchema>;

export const UpdateMeBodySchema = z.strictObject({
  displayName: z.string().trim().min(1).max(20).optional(),
  locale: LocaleSchema.optional(),
});

export const SetRolesBodySchema = z.strictObject({ roles: z.array(RoleSchema).min(1).max(5) });

/** Masks a phone number for display: 138****0001. */
export const maskPhone = (phone: string) => phone.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2');

/**
 * What the sign-in page tells people: where codes go (`log` is the embedded default, which prints
 * the code in the server log; `sms` a configured gateway) and whether the demo accounts exist.
 */
export const AuthOptionsSchema = z.object({ codeDelivery: z.enum(['log', 'sms']), demo: z.boolean() });
export type AuthOptions = z.infer<typeof AuthOptionsSchema>;
