import type { Account } from '@farmlive/shared';
import { formatDateTime } from '../../format';
import { useConsoleText } from '../i18n';
import { reasonText } from '../i18n/reasons';
import { formatDuration } from '../ui/time';
import type { HealthIssue } from './health';

/** Words for the board: platforms, health issues, token deadlines and quotas, in the reader's language. */
export function useAccountWording() {
  const { ct, locale } = useConsoleText();
  const when = (iso: string) => formatDateTime(iso, locale.value);
  const left = (ms: number) => formatDuration(ms, (u, n) => ct(`shell.duration.${u}`, { n }), locale.value === 'zh-CN' ? '' : ' ');

  const platform = (a: Account) => {
    if (a.channel === 'wechat') return `${ct('accounts.channel.wechat')} · ${ct(`accounts.wechatKind.${a.wechatKind ?? 'subscription'}`)}`;
    if (a.channel === 'sandbox') return `${ct('accounts.channel.sandbox')} · ${ct('accounts.imitates', { platform: ct(`accounts.channel.${a.imitates ?? 'weibo'}`) })}`;
    return ct('accounts.channel.weibo');
  };

  /** The issue's name, and the sentence that says what to do. */
  function issue(i: HealthIssue): { title: string; text: string; detail: string | null } {
    const title = ct(`accounts.issue.${i.kind}`);
    switch (i.kind) {
      case 'disabled':
        return { title, ...reasonText(locale.value, i.code, 'misconfigured', i.reason) };
      case 'needs_reauth':
        return { title, ...reasonText(locale.value, i.code, 'reauthorize', i.reason) };
      case 'credentials_unreadable':
        return { title, text: ct('accounts.credentialsUnreadable'), detail: null };
      case 'token_expired':
        return { title, text: i.expiresAt ? ct('accounts.token.expiredAt', { time: when(i.expiresAt) }) : title, detail: null };
      case 'token_expiring':
        return { title, text: ct('accounts.token.reauthorizeBy', { time: when(i.reauthorizeBy ?? i.expiresAt ?? '') }), detail: null };
      case 'quota_full':
        return { title, text: `${ct(`accounts.quota.${i.key}`)} ${i.used}/${i.limit}${i.freesAt ? ` · ${ct('accounts.quota.freesAt', { time: when(i.freesAt) })}` : ''}`, detail: null };
      case 'last_error':
        return { title, ...reasonText(locale.value, i.code, i.cls, i.message) };
    }
  }

  return { ct, locale, when, left, platform, issue };
}
