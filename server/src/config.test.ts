import { parseConfig } from './config';

describe('configuration', () => {
  it('runs embedded with no configuration at all', () => {
    const c = parseConfig({});
    expect(c.db.url).toBeNull();
    expect(c.redis.url).toBeNull();
    expect(c.http.port).toBe(3000);
    expect(c.db.dataDir).toMatch(/data\/pglite$/);
    expect(c.http.publicUrl).toBe('http://localhost:3000');
    expect(c.http.secureCookies).toBe(false);
  });

  it('reads the scaled settings and derives from them', () => {
    const c = parseConfig({ DATABASE_URL: 'postgres://u:p@db:5432/farmlive', REDIS_URL: 'redis://cache:6379', PUBLIC_URL: 'https://live.example.cn/', DEMO_DATA: 'yes', PORT: '8080' });
    expect(c.db.url).toBe('postgres://u:p@db:5432/farmlive');
    expect(c.redis.url).toBe('redis://cache:6379');
    expect(c.http.publicUrl).toBe('https://live.example.cn');
    expect(c.http.secureCookies).toBe(true);
    expect(c.demo).toBe(true);
  });

  it('names every bad variable in one error', () => {
    expect(() => parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })).toThrow(/PORT[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*PORT/);
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => parseConfig({ DEMO_DATA: 'maybe' })).toThrow(/DEMO_DATA/);
  });
});
