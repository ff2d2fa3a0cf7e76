import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AccountCredentials } from '../channels/channel';

/**
 * Account credentials at rest: AES-256-GCM under CREDENTIALS_KEY, one random 96-bit IV per
 * write, the account id as associated data (a ciphertext copied onto another account does not
 * open). The envelope names the key by a fingerprint, so a changed key is reported as such.
 *
 * With no key configured nothing is stored: platform accounts are refused with
 * ACCOUNT_CREDENTIALS_KEY_MISSING, and sandbox accounts (which have no credentials) still work.
 * Generating a key next to the data would protect nothing a copy of the data folder exposes.
 */

const VERSION = 'v1';

const CredentialsSchema = z.strictObject({
  appSecret: z.string().min(1).optional(),
  callbackToken: z.string().min(1).optional(),
  accessToken: z.string().min(1).optional(),
});

export type OpenResult = { ok: true; credentials: AccountCredentials } | { ok: false; reason: 'no_key' | 'other_key' | 'corrupt' };

export interface CredentialsCipher {
  readonly enabled: boolean;
  seal(accountId: string, credentials: AccountCredentials): string;
  open(accountId: string, envelope: string): OpenResult;
}

const b64 = (b: Buffer) => b.toString('base64url');
const fingerprint = (key: Buffer) => createHash('sha256').update('farmlive credentials key').update(key).digest('hex').slice(0, 8);

export function createCredentialsCipher(key: Buffer | null): CredentialsCipher {
  const keyId = key ? fingerprint(key) : null;
  return {
    enabled: !!key,
    seal(accountId, credentials) {
      if (!key) throw new Error('CREDENTIALS_KEY is not configured');
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(`account:${accountId}`));
      const body = Buffer.concat([cipher.update(JSON.stringify(CredentialsSchema.parse(credentials)), 'utf8'), cipher.final()]);
      return [VERSION, keyId, b64(iv), b64(cipher.getAuthTag()), b64(body)].join('.');
    },
    open(accountId, envelope) {
      if (!key) return { ok: false, reason: 'no_key' };
      const [version, id, iv, tag, body] = envelope.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) return { ok: false, reason: 'corrupt' };
      if (id !== keyId) return { ok: false, reason: 'other_key' };
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(`account:${accountId}`));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
        const parsed = CredentialsSchema.safeParse(JSON.parse(text));
        return parsed.success ? { ok: true, credentials: parsed.data } : { ok: false, reason: 'corrupt' };
      } catch {
        return { ok: false, reason: 'corrupt' };
      }
    },
  };
}

/**
 * Merges new credentials over stored ones. An empty or blank value never replaces a stored one:
 * a reconnect that came back without a field must not wipe it.
 */
export function mergeCredentials(stored: AccountCredentials, patch: Partial<Record<keyof AccountCredentials, string | null | undefined>>): AccountCredentials {
  const out: AccountCredentials = { ...stored };
  for (const [k, v] of Object.entries(patch) as [keyof AccountCredentials, string | null | undefined][]) {
    if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim();
  }
  return out;
}
