import { LikeBatcher, MAX_LIKES_PER_EVENT } from './like-batcher';

describe('LikeBatcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends a burst of taps as one event after the interval, never one per tap', () => {
    const sent: number[] = [];
    const likes = new LikeBatcher((n) => sent.push(n), 1_000);
    for (let i = 0; i < 37; i++) likes.tap();
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(999);
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(sent).toEqual([37]);
    expect(likes.pending).toBe(0);
  });

  it('caps each event and sends the rest one interval later', () => {
    const sent: number[] = [];
    const likes = new LikeBatcher((n) => sent.push(n), 1_000);
    likes.tap(MAX_LIKES_PER_EVENT * 2 + 5);
    jest.advanceTimersByTime(3_000);
    expect(sent).toEqual([MAX_LIKES_PER_EVENT, MAX_LIKES_PER_EVENT, 5]);
  });

  it('sends nothing when idle, and drops unsent taps when stopped', () => {
    const sent: number[] = [];
    const likes = new LikeBatcher((n) => sent.push(n), 1_000);
    jest.advanceTimersByTime(5_000);
    likes.tap(3);
    likes.stop();
    jest.advanceTimersByTime(5_000);
    expect(sent).toEqual([]);
  });
});
