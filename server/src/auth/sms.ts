import type { Logger } from 'pino';

/** Sends a sign-in code to a phone. The embedded default prints it to the log. */
export interface SmsSender {
  sendCode(phone: string, code: string): Promise<void>;
}

/** The embedded default: the code goes to the server log, where a developer or an operator reads it. */
export function createLogSmsSender(log: Logger): SmsSender {
  return {
    async sendCode(phone, code) {
      log.warn({ phone }, `sign-in code for ${phone}: ${code} (SMS is not configured; printed here instead)`);
    },
  };
}

/**
 * Posts `{ phone, code, text }` as JSON to a gateway that delivers the SMS (most Chinese
 * providers are fronted this way). Any non-2xx answer or a timeout is a failure.
 */
export function createWebhookSmsSender(url: string, fetchImpl: typeof fetch = fetch): SmsSender {
  return {
    async sendCode(phone, code) {
      const res = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ phone, code, text: `【FarmLive】您的登录验证码是 ${code}，5分钟内有效。` }),
        signal: AbortSignal.timeout(5_000),
      });
      if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
    },
  };
}
