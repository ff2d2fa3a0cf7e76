import { formatFen, formatWeight, FenSchema, parseYuan } from './money';

describe('money in fen', () => {
  it('formats fen as yuan without floating-point error', () => {
    expect(formatFen(3990)).toBe('¥39.90');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(123456789)).toBe('¥1,234,567.89');
    expect(formatFen(-250)).toBe('-¥2.50');
  });

  it('parses typed yuan into exact fen, and refuses anything else', () => {
    expect(parseYuan('39.9')).toBe(3990);
    expect(parseYuan('0.07')).toBe(7);
    expect(parseYuan(' 12 ')).toBe(1200);
    expect(parseYuan('1.005')).toBeNull();
    expect(parseYuan('-1')).toBeNull();
    expect(parseYuan('1e3')).toBeNull();
    expect(parseYuan('')).toBeNull();
  });

  it('accepts only whole, non-negative fen', () => {
    expect(FenSchema.safeParse(3990).success).toBe(true);
    expect(FenSchema.safeParse(39.9).success).toBe(false);
    expect(FenSchema.safeParse(-1).success).toBe(false);
    expect(FenSchema.safeParse('3990').success).toBe(false);
  });

  it('shows weight in jin and kg for Chinese, kg for English', () => {
    expect(formatWeight(5000)).toBe('10斤 (5kg)');
    expect(formatWeight(250)).toBe('0.5斤 (0.3kg)');
    expect(formatWeight(2500, 'en')).toBe('2.5 kg');
  });
});
