import { orderRate, parseRange, rangeQuery, rateValue, yuan } from './figures';

describe('attribution figures', () => {
  it('shows revenue in yuan from fen, exactly', () => {
    expect(yuan(1234560)).toBe('¥12,345.60');
    expect(yuan(1)).toBe('¥0.01');
    // 0.1 + 0.2 in yuan is where floating point goes wrong; fen never do.
    expect(yuan(10 + 20)).toBe('¥0.30');
  });

  it('gives orders per visit with one decimal, and nothing when there was no visit', () => {
    expect(orderRate({ orders: 7, visits: 200 })).toBe('3.5%');
    expect(orderRate({ orders: 1, visits: 3 })).toBe('33.3%');
    expect(orderRate({ orders: 0, visits: 10 })).toBe('0.0%');
    expect(orderRate({ orders: 2, visits: 0 })).toBeNull();
    expect(rateValue({ orders: 0, visits: 10 })).toBeGreaterThan(rateValue({ orders: 0, visits: 0 }));
  });

  it('turns a period into a query ending now', () => {
    const now = Date.parse('2026-11-23T01:25:00Z');
    expect(rangeQuery('7d', now)).toEqual({ from: '2026-11-16T01:25:00.000Z' });
    expect(rangeQuery('all', now)).toEqual({});
    expect(parseRange('7d')).toBe('7d');
    expect(parseRange('1y')).toBe('30d');
  });
});
