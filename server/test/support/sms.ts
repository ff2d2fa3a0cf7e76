import type { SmsSender } from '../../src/auth/sms';

/** Keeps the codes it is asked to send, so a test can sign in as a person would. */
export class CapturingSms implements SmsSender {
  readonly sent: { phone: string; code: string }[] = [];
  failNext = false;

  async sendCode(phone: string, code: string): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('gateway down');
    }
    this.sent.push({ phone, code });
  }

  lastCode(phone: string): string {
    const hit = [...this.sent].reverse().find((s) => s.phone === phone);
    if (!hit) throw new Error(`no code was sent to ${phone}`);
    return hit.code;
  }
}
