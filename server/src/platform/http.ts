import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ErrorTable, type ErrorCode } from '@farmlive/shared';
import { AppError, toErrorBody } from './errors';

/** Fastify's own client errors, by their code, to ours. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
  FST_ERR_NOT_FOUND: 'NOT_FOUND',
  FST_ERR_CTP_INVALID_TYPE: 'VALIDATION_FAILED',
  FST_ERR_RATE_LIMIT: 'RATE_LIMITED',
};

const byStatus: Record<number, ErrorCode> = { 400: 'VALIDATION_FAILED', 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED' };

/** Converts whatever a route threw into an AppError, or null for a server fault. */
function classify(err: FastifyError): AppError | null {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const details = err.validation.slice(0, 20).map((v) => ({
      path: `${err.validationContext ?? ''}${v.instancePath}`.replace(/\//g, '.'),
      message: v.message ?? 'invalid',
    }));
    return new AppError('VALIDATION_FAILED', undefined, details);
  }
  if (isResponseSerializationError(err)) return null;
  if (err instanceof SyntaxError) return new AppError('VALIDATION_FAILED', 'The body is not valid JSON.');
  const code = (err.code && fastifyCodes[err.code]) || (err.statusCode && err.statusCode < 500 ? byStatus[err.statusCode] : undefined);
  return code ? new AppError(code) : null;
}

/** One error handler for every route: stable codes out, 5xx details only in the log. */
export function registerErrorHandling(app: FastifyInstance, opts: { pages?: (req: FastifyRequest, reply: FastifyReply) => unknown } = {}): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const known = classify(err);
    if (!known) {
      req.log.error({ err }, 'request failed');
      const { status, body } = toErrorBody(err);
      return reply.status(status).send({ error: body });
    }
    if (known.status >= 500) req.log.error({ err }, 'request failed');
    return reply.status(known.status).send({ error: known.toBody() });
  });
  app.setNotFoundHandler((req, reply) => {
    if (opts.pages && req.method === 'GET') return opts.pages(req, reply);
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: ErrorTable.NOT_FOUND.message } });
  });
}

import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { FastifyBaseLogger, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';

/** The fastify instance every feature registers its routes on: zod schemas type the handlers. */
export type HttpApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** Error answers every route may give, for the OpenAPI document. */
export { ErrorResponseSchema } from '@farmlive/shared';
