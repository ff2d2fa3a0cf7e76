import type { ChatMessage } from '@farmlive/shared';
import { ChatLog } from './chat-log';

const ROOM = '00000000-0000-4000-8000-000000000001';
const msg = (n: number, text = `m${n}`): ChatMessage => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  roomId: ROOM,
  user: { id: '00000000-0000-4000-8000-0000000000aa', displayName: '北京张阿姨' },
  text,
  sentAt: new Date(Date.UTC(2025, 9, 17, 12, 0, n)).toISOString(),
});
const texts = (log: ChatLog) => log.messages.map((m) => m.text);

describe('ChatLog', () => {
  it('keeps one copy of a message that arrives as the ack, the broadcast and again in history', () => {
    const log = new ChatLog();
    expect(log.add(msg(1))).toBe(true);
    expect(log.add(msg(1))).toBe(false);
    log.mergeHistory([msg(1)]);
    expect(texts(log)).toEqual(['m1']);
  });

  it('orders by time whatever order messages arrive in', () => {
    const log = new ChatLog();
    for (const n of [3, 1, 2]) log.add(msg(n));
    expect(texts(log)).toEqual(['m1', 'm2', 'm3']);
  });

  it('drops what history no longer has from its oldest message on: removed while the page was away', () => {
    const log = new ChatLog();
    for (const n of [1, 2, 3, 4]) log.add(msg(n));
    log.mergeHistory([msg(2), msg(4), msg(5)]);
    expect(texts(log)).toEqual(['m1', 'm2', 'm4', 'm5']); // m1 predates the history, m3 was removed
  });

  it('keeps messages that arrived while the join was in flight, which the history could not include', () => {
    const log = new ChatLog();
    log.add(msg(1));
    log.add(msg(9)); // broadcast after the server read the history, before the join was answered
    log.mergeHistory([msg(1), msg(2)], new Set([msg(9).id]));
    expect(texts(log)).toEqual(['m1', 'm2', 'm9']);
  });

  it('empties on an empty history, unless messages arrived during the join', () => {
    const log = new ChatLog();
    log.add(msg(1));
    log.mergeHistory([]);
    expect(texts(log)).toEqual([]);
    log.add(msg(2));
    log.mergeHistory([], new Set([msg(2).id]));
    expect(texts(log)).toEqual(['m2']);
  });

  it('removes a message once and forgets the oldest beyond its limit', () => {
    const log = new ChatLog(3);
    for (const n of [1, 2, 3, 4]) log.add(msg(n));
    expect(texts(log)).toEqual(['m2', 'm3', 'm4']);
    expect(log.remove(msg(3).id)).toBe(true);
    expect(log.remove(msg(3).id)).toBe(false);
    expect(log.add(msg(1))).toBe(true); // forgotten, so it counts as new again
    expect(texts(log)).toEqual(['m1', 'm2', 'm4']);
  });
});
