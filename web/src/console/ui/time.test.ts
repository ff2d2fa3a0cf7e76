import { formatBytes, formatDuration, type DurationUnit } from './time';

const zh = (u: DurationUnit, n: number) => ({ days: `${n}天`, hours: `${n}小时`, minutes: `${n}分钟`, lessThanMinute: '不到1分钟' })[u];
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('formatDuration', () => {
  it('gives the two largest units, rounded down, so a countdown never promises too much', () => {
    expect(formatDuration(2 * 24 * HOUR + 3 * HOUR + 59 * MIN, zh)).toBe('2天3小时');
    expect(formatDuration(5 * HOUR + 12 * MIN + 59_999, zh)).toBe('5小时12分钟');
    expect(formatDuration(24 * HOUR + 30 * MIN, zh)).toBe('1天');
    expect(formatDuration(45 * MIN, zh)).toBe('45分钟');
    expect(formatDuration(59_999, zh)).toBe('不到1分钟');
    expect(formatDuration(-5 * MIN, zh)).toBe('不到1分钟');
  });

  it('joins English parts with a space', () => {
    const en = (u: DurationUnit, n: number) => ({ days: `${n} d`, hours: `${n} h`, minutes: `${n} min`, lessThanMinute: 'under a minute' })[u];
    expect(formatDuration(3 * HOUR + 5 * MIN, en, ' ')).toBe('3 h 5 min');
  });
});

describe('formatBytes', () => {
  it('states sizes in the decimal units the platforms use for their limits', () => {
    expect(formatBytes(64_000)).toBe('64 KB');
    expect(formatBytes(3_500_000)).toBe('3.5 MB');
    expect(formatBytes(20_971_520)).toBe('21 MB');
    expect(formatBytes(900)).toBe('900 B');
  });
});
