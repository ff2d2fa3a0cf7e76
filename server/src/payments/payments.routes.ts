import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotifyAnswerSchema, PaymentIdParamsSchema, PaymentSchema, SandboxCompleteBodySchema } from '@farmlive/shared';
import { AppError } from '../platform/errors';
import type { HttpApp } from '../platform/http';
import type { Clock } from '../platform/clock';
import type { PaymentsService } from './payments.service';
import type { SandboxPaymentProvider } from './sandbox-payment-provider';
import { sandboxPayPage } from './sandbox-pay-page';

/**
 * The providers' side: the notify endpoint every provider calls, and the sandbox's own pay page
 * (which stands in for the provider's site and sends its signed notification to the same code).
 */
export function registerPaymentRoutes(
  app: HttpApp,
  deps: { payments: PaymentsService; sandbox: SandboxPaymentProvider | null; clock: Clock },
): void {
  const { payments, sandbox } = deps;
  const tags = ['payments'];

  // Notifications are verified over their exact bytes: this scope keeps JSON bodies as text.
  void app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.post(
      '/api/payments/notify/:provider',
      { schema: { tags, params: z.strictObject({ provider: z.string().regex(/^[a-z]{1,20}$/) }), response: { 200: NotifyAnswerSchema } } },
      async (req) => {
        if (typeof req.body !== 'string') throw new AppError('PAYMENT_SIGNATURE_INVALID');
        await payments.receive(req.params.provider, req.headers, req.body);
        return { code: 'SUCCESS' as const, message: 'OK' };
      },
    );
  });

  if (!sandbox) return;

  app.get('/api/payments/sandbox/:id', { schema: { tags, params: PaymentIdParamsSchema, hide: true } }, async (req, reply) => {
    const payment = await payments.get(req.params.id);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(sandboxPayPage(payment));
  });

  app.post('/api/payments/sandbox/:id/complete', { schema: { tags, params: PaymentIdParamsSchema, body: SandboxCompleteBodySchema, response: { 200: PaymentSchema } } }, async (req) => {
    const payment = await payments.get(req.params.id);
    if (payment.provider !== sandbox.name) throw new AppError('PAYMENT_NOT_FOUND');
    if (payment.status !== 'pending') throw new AppError('PAYMENT_ALREADY_COMPLETED');
    const n = sandbox.notification({ paymentId: payment.id, outcome: req.body.outcome, amountFen: payment.amountFen }, deps.clock.now());
    return payments.receive(sandbox.name, n.headers, n.body);
  });
}
