import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** Paths whose values never reach a log line: credentials, tokens, cookies. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.appSecret',
  '*.accessToken',
  '*.access_token',
  '*.token',
  '*.refreshToken',
];

/**
 * JSON lines by default (what log collectors want). `pretty` gives readable, coloured lines for a
 * person at a terminal: `main.ts` asks for it when stdout is a TTY outside production.
 */
export function createLogger(level: string, destination?: pino.DestinationStream, opts: { pretty?: boolean } = {}): Logger {
  const out = destination ?? (opts.pretty ? pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }) : undefined);
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' } }, out);
}
