import { AppError } from '../platform/errors';
import { cleanChatText, findBannedWord, foldForMatch, SlidingWindowLimiter } from './moderation';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return err instanceof AppError ? err.code : 'other';
  }
};

describe('chat moderation', () => {
  it('folds full-width letters, case and separators before matching banned words', () => {
    expect(foldForMatch('Ｖ Ｘ:微-信')).toBe('vx微信');
    expect(findBannedWord('加我 v.x 哦', ['VX'])).toBe('VX');
    expect(findBannedWord('苹果很甜', ['VX', '微信'])).toBeNull();
    expect(findBannedWord('anything', ['  '])).toBeNull();
  });

  it('counts length in characters, so emoji and Chinese count once each', () => {
    expect(cleanChatText(' 好吃😋 ')).toBe('好吃😋');
    expect(codeOf(() => cleanChatText('😋'.repeat(200)))).toBe('ok');
    expect(codeOf(() => cleanChatText('😋'.repeat(201)))).toBe('CHAT_TOO_LONG');
    expect(codeOf(() => cleanChatText('\u0000\u0007  '))).toBe('CHAT_EMPTY');
  });

  it('limits each key to N events per window and frees it as the window slides', () => {
    const limiter = new SlidingWindowLimiter(3, 10_000);
    expect([0, 1, 2, 3].map((t) => limiter.take('u', t))).toEqual([true, true, true, false]);
    expect(limiter.take('other', 3)).toBe(true);
    expect(limiter.retryAfter('u', 5_000)).toBe(5_000);
    expect(limiter.take('u', 10_000)).toBe(true);
    expect(limiter.take('u', 10_000)).toBe(false);
  });
});
