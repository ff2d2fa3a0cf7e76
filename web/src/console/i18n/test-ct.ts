import type { Locale } from '@farmlive/shared';
import type { ConsoleKey } from './index';
import { attributionTexts } from './attribution';
import { publicationsTexts } from './publications';
import { storiesTexts } from './stories';

/**
 * For unit tests: `ct` over the real texts of the new sections, with vue-i18n's `{name}`
 * interpolation, so that tests assert the sentences an editor reads.
 */
const trees = { stories: storiesTexts, publications: publicationsTexts, attribution: attributionTexts } as const;

export function testCt(locale: Locale = 'zh-CN') {
  return (key: ConsoleKey, named: Record<string, unknown> = {}): string => {
    const [section, ...path] = key.split('.');
    let node: unknown = (trees as Record<string, Record<Locale, unknown>>)[section!]?.[locale];
    for (const p of path) node = (node as Record<string, unknown> | undefined)?.[p];
    if (typeof node !== 'string') throw new Error(`no text for ${key}`);
    return node.replace(/\{(\w+)\}/g, (_, n: string) => String(named[n]));
  };
}
