import type { Role, User } from '@farmlive/shared';
import { decideAccess, homeFor, sectionsFor } from './access';
import { consoleRoles, consoleSections, type ConsoleSection } from './sections';

const user = (...roles: Role[]): User => ({ id: '00000000-0000-4000-8000-000000000001', phone: '13900000001', displayName: '测试', roles: ['viewer', ...roles], locale: 'zh-CN' });

describe('console access', () => {
  it('sends someone signed out to sign in, and back to the page afterwards', () => {
    expect(decideAccess(null, ['official'], '/console/accounts?health=disabled', consoleRoles)).toEqual({
      allow: false,
      to: { name: 'sign-in', query: { next: '/console/accounts?health=disabled' } },
    });
  });

  it('lets officials and admins into the accounts section, and nobody else', () => {
    expect(decideAccess(user('official'), ['official'], '/console/accounts', consoleRoles)).toEqual({ allow: true });
    expect(decideAccess(user('admin'), ['official'], '/console/accounts', consoleRoles)).toEqual({ allow: true });
    expect(decideAccess(user(), ['official'], '/console/accounts', consoleRoles)).toMatchObject({ allow: false, to: { name: 'console-refused' } });
    expect(decideAccess(user('host'), ['official'], '/console/accounts', consoleRoles)).toMatchObject({ allow: false, to: { name: 'console-refused' } });
    // A reviewer may use the console, just not this section: the console's home says so.
    expect(decideAccess(user('reviewer'), ['official'], '/console/accounts', consoleRoles)).toEqual({
      allow: false,
      to: { name: 'console-home', query: { refused: '/console/accounts' } },
    });
  });

  it('shows each person only the sections their roles open, in order, and starts them on the first', () => {
    expect(sectionsFor(user('official')).map((s) => s.key)).toEqual(['accounts', 'images', 'stories', 'schedule', 'publications', 'attribution']);
    expect(sectionsFor(user('reviewer')).map((s) => s.key)).toEqual(['review', 'publications', 'attribution']);
    expect(sectionsFor(user('admin')).map((s) => s.key)).toEqual(['accounts', 'images', 'stories', 'review', 'schedule', 'publications', 'attribution']);
    expect(sectionsFor(user('host'))).toEqual([]);
    expect(sectionsFor(null)).toEqual([]);
    expect(homeFor(user('reviewer'))).toBe('/console/review');
    expect(homeFor(user('official'))).toBe('/console/accounts');
    // A section list where a role opens nothing yet: no home for it.
    const only: ConsoleSection[] = [{ key: 'accounts', icon: 'friends-o', roles: ['official'], pages: [] }];
    expect(homeFor(user('reviewer'), only)).toBeNull();
  });

  it('loads every section page lazily, so that the phone pages never carry console code', () => {
    for (const s of consoleSections) for (const p of s.pages) expect(typeof p.component).toBe('function');
  });
});
