import type { User } from '@farmlive/shared';
import { createSessionCache } from './session-cache';

const user = (id: string): User => ({ id, phone: '13800000000', displayName: id, roles: ['viewer'], locale: 'zh-CN' });

describe('session cache', () => {
  let now = 1_000_000;
  const cache = () => createSessionCache({ ttlMs: 5_000, max: 3, now: () => now });
  const farAway = new Date(now + 86_400_000);

  it('answers a remembered user until the time to live passes', () => {
    const c = cache();
    c.set('t1', user('u1'), farAway);
    now += 4_999;
    expect(c.get('t1')?.id).toBe('u1');
    now += 1;
    expect(c.get('t1')).toBeNull();
    expect(c.size).toBe(0);
  });

  it('never outlives the session itself', () => {
    const c = cache();
    c.set('t1', user('u1'), new Date(now + 1_000));
    now += 1_000;
    expect(c.get('t1')).toBeNull();
  });

  it('forgets a signed-out token and every token of a changed user', () => {
    const c = cache();
    c.set('a', user('u1'), farAway);
    c.set('b', user('u1'), farAway);
    c.set('c', user('u2'), farAway);
    c.forget('c');
    expect(c.get('c')).toBeNull();
    c.forgetUser('u1');
    expect(c.get('a')).toBeNull();
    expect(c.get('b')).toBeNull();
  });

  it('stays within its size, dropping the oldest entry', () => {
    const c = cache();
    for (const t of ['a', 'b', 'c', 'd']) c.set(t, user(t), farAway);
    expect(c.size).toBe(3);
    expect(c.get('a')).toBeNull();
    expect(c.get('d')?.id).toBe('d');
  });

  it('remembers nothing when switched off', () => {
    const c = createSessionCache({ ttlMs: 0, max: 3, now: () => now });
    c.set('a', user('u1'), farAway);
    expect(c.get('a')).toBeNull();
  });
});
