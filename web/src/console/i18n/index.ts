import type { Locale } from '@farmlive/shared';
import { useI18n } from 'vue-i18n';
import { currentLocale, i18n } from '../../i18n';
import { accountsTexts } from './accounts';
import { attributionTexts } from './attribution';
import { imagesTexts } from './images';
import { publicationsTexts } from './publications';
import { shellTexts } from './shell';
import { storiesTexts } from './stories';
import type { Leaves } from './texts';

/**
 * The console's texts, one file per section as in `i18n/errors/`. They live in the console's own
 * chunk and join the app's messages under `console.` when the console first loads, so the phone
 * pages never carry them.
 */
const consoleTexts = {
  'zh-CN': { shell: shellTexts['zh-CN'], accounts: accountsTexts['zh-CN'], images: imagesTexts['zh-CN'], stories: storiesTexts['zh-CN'], publications: publicationsTexts['zh-CN'], attribution: attributionTexts['zh-CN'] },
  en: { shell: shellTexts.en, accounts: accountsTexts.en, images: imagesTexts.en, stories: storiesTexts.en, publications: publicationsTexts.en, attribution: attributionTexts.en },
} satisfies Record<Locale, unknown>;

export type ConsoleKey = Leaves<(typeof consoleTexts)['zh-CN']>;

let installed = false;
export function installConsoleTexts(): void {
  if (installed) return;
  installed = true;
  for (const locale of ['zh-CN', 'en'] as const) {
    // The app's message type does not know the console's keys: they are checked by ConsoleKey instead.
    (i18n.global.mergeLocaleMessage as (l: Locale, m: unknown) => void)(locale, { console: consoleTexts[locale] });
  }
}
installConsoleTexts();

/** `ct('accounts.title')`: the console's texts, with keys checked by `pnpm typecheck`. */
export function useConsoleText() {
  const { t } = useI18n();
  const ct = (key: ConsoleKey, named?: Record<string, unknown>): string => t(`console.${key}`, named ?? {});
  return { ct, locale: currentLocale };
}
