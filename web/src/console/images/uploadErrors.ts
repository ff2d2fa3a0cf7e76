import type { ErrorBody } from '@farmlive/shared';
import { describeError } from '../../i18n';
import { useConsoleText } from '../i18n';
import { formatBytes } from '../ui/time';

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** An upload's failure in plain words: the code's sentence, and the file's own figures against the limit. */
export function useUploadErrorText() {
  const { ct, locale } = useConsoleText();
  // Chinese sentences follow each other without a space.
  const join = (a: string, b: string) => (locale.value === 'zh-CN' ? `${a}${b}` : `${a} ${b}`);
  return (e: Pick<ErrorBody, 'code' | 'details'>, file: { size: number; type: string }, limits: { maxUploadBytes: number; maxPixels: number } | null): string => {
    const d = (e.details ?? {}) as Record<string, unknown>;
    const base = describeError({ code: e.code });
    const max = num(d.maxBytes) ?? limits?.maxUploadBytes ?? null;
    if (e.code === 'IMAGE_TOO_LARGE' && max) return join(base, ct('images.upload.tooLargeDetail', { size: formatBytes(file.size), max: formatBytes(max) }));
    const [w, h, mp] = [num(d.width), num(d.height), num(d.maxPixels) ?? limits?.maxPixels ?? null];
    if (e.code === 'IMAGE_TOO_MANY_PIXELS' && w && h && mp) return join(base, ct('images.upload.tooManyPixelsDetail', { w, h, mp: Math.round(mp / 1_000_000) }));
    if (e.code === 'IMAGE_UNSUPPORTED_TYPE' && file.type) return join(base, ct('images.upload.unsupportedDetail', { type: file.type }));
    return base;
  };
}
