import { isErrorCode, LocaleSchema, type ErrorBody, type Locale } from '@farmlive/shared';
import { computed } from 'vue';
import { createI18n } from 'vue-i18n';
import { clientErrorCodes, type ClientErrorCode } from '../api/client';
import { en } from './en';
import { errorTexts } from './errors';
import { zhCN, type Messages } from './zh-CN';

const STORAGE_KEY = 'farmlive.locale';

/** The remembered choice; Simplified Chinese until someone picks English. */
function storedLocale(): Locale {
  try {
    const parsed = LocaleSchema.safeParse(localStorage.getItem(STORAGE_KEY));
    return parsed.success ? parsed.data : 'zh-CN';
  } catch {
    return 'zh-CN'; // storage can be refused (private mode); the default still works
  }
}

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

export const currentLocale = computed<Locale>(() => i18n.global.locale.value);

/** Switches the language and remembers it on this phone. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not remembered, but switched
  }
}

const isClientCode = (code: string): code is ClientErrorCode => (clientErrorCodes as readonly string[]).includes(code);

/** The sentence to show for an error code, in the current language; unknown codes get a generic one. */
export function errorText(code: string): string {
  const texts = errorTexts[currentLocale.value];
  return isErrorCode(code) || isClientCode(code) ? texts[code] : texts.INTERNAL;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** An error sentence plus what its details add (seconds to wait, attempts left). */
export function describeError(error: Pick<ErrorBody, 'code' | 'details'>): string {
  const t = i18n.global.t;
  const d = (error.details ?? {}) as Record<string, unknown>;
  const extra: string[] = [];
  const retryS = num(d.retryAfterSeconds) ?? (num(d.retryAfterMs) !== null ? Math.ceil(num(d.retryAfterMs)! / 1000) : null);
  if (retryS !== null && retryS > 0) extra.push(t('signIn.retryAfter', { n: retryS }));
  const attempts = num(d.attemptsLeft);
  if (attempts !== null) extra.push(t('signIn.attemptsLeft', { n: attempts }));
  return [errorText(error.code), ...extra].join(' ');
}
