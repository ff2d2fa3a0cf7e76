import { z } from 'zod';

/** Database ids are UUIDs. */
export const IdSchema = z.uuid({ error: 'must be an id' });
export type Id = z.infer<typeof IdSchema>;

/** A UTC instant as an ISO-8601 string on the wire. */
export const InstantSchema = z.iso.datetime({ offset: true });

/** Body of every error answer, over HTTP and in socket acks. */
export const ErrorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const ErrorResponseSchema = z.object({ error: ErrorBodySchema });

/** Text typed by a person: trimmed, bounded, with control characters refused. */
export const humanText = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), 'contains control characters');

export const LocaleSchema = z.enum(['zh-CN', 'en']);
export type Locale = z.infer<typeof LocaleSchema>;
