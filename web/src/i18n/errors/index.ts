import type { ErrorCode, Locale } from '@farmlive/shared';
import type { ClientErrorCode } from '../../api/client';
import { accountErrorTexts } from './accounts';
import { coreErrorTexts } from './core';
import { flashSaleErrorTexts } from './flash-sales';
import { mediaErrorTexts } from './media';
import { sfuErrorTexts } from './sfu';
import { storyErrorTexts } from './stories';
import type { Texts } from './texts';

/**
 * Every code the server can answer with (shared/src/errors) and the client's own, in each
 * language, one file per feature as in shared/. Typed as complete: a code added in shared/
 * fails `pnpm typecheck` here until it is translated.
 */
export const errorTexts: Record<Locale, Texts<ErrorCode | ClientErrorCode>> = {
  'zh-CN': { ...coreErrorTexts['zh-CN'], ...accountErrorTexts['zh-CN'], ...mediaErrorTexts['zh-CN'], ...sfuErrorTexts['zh-CN'], ...flashSaleErrorTexts['zh-CN'], ...storyErrorTexts['zh-CN'] },
  en: { ...coreErrorTexts.en, ...accountErrorTexts.en, ...mediaErrorTexts.en, ...sfuErrorTexts.en, ...flashSaleErrorTexts.en, ...storyErrorTexts.en },
};
