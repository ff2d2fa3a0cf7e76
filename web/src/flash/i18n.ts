import type { Locale } from '@farmlive/shared';
import { useI18n } from 'vue-i18n';
import type { Leaves } from '../console/i18n/texts';
import { currentLocale, i18n } from '../i18n';
import { orderTexts } from '../orders/texts';
import { flashTexts } from './texts';

/**
 * The texts of flash sales and orders. They join the app's messages under `flash.` and `orders.`
 * when a page that needs them loads (as the console's do), so the room list never carries them.
 */
const texts = {
  'zh-CN': { flash: flashTexts['zh-CN'], orders: orderTexts['zh-CN'] },
  en: { flash: flashTexts.en, orders: orderTexts.en },
} satisfies Record<Locale, unknown>;

export type FlashKey = Leaves<(typeof texts)['zh-CN']>;

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  for (const locale of ['zh-CN', 'en'] as const) {
    // The app's message type does not know these keys: FlashKey checks them instead.
    (i18n.global.mergeLocaleMessage as (l: Locale, m: unknown) => void)(locale, texts[locale]);
  }
}
install();

/** `ft('flash.buy.buy')`, `ft('orders.status.paid')`: keys checked by `pnpm typecheck`. */
export function useFlashText() {
  const { t } = useI18n();
  const ft = (key: FlashKey, named?: Record<string, unknown>): string => t(key, named ?? {});
  return { ft, locale: currentLocale };
}
