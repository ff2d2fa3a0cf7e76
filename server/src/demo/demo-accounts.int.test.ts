import type { AccountBoard, AccountGroup } from '@farmlive/shared';
import { phones, startTestApp, type TestApp } from '../../test/support/app';
import { dbKinds } from '../../test/support/db';
import { demoAccountGroups, demoAccounts } from './demo-accounts';

describe.each(dbKinds)('demo accounts on %s', (db) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ db });
  });
  afterAll(() => app.close());

  it('gives the console sandbox accounts in groups, healthy and without credentials', async () => {
    const { token } = await app.signIn(phones.official);
    const headers = { authorization: `Bearer ${token}` };
    const board = (await app.app.inject({ method: 'GET', url: '/api/accounts', headers })).json() as AccountBoard;
    expect(board.accounts.map((a) => a.name).sort()).toEqual(demoAccounts.map((a) => a.name).sort());
    for (const a of board.accounts) {
      expect(a).toMatchObject({ channel: 'sandbox', status: 'active', remoteId: null, health: { token: { state: 'none' }, credentialsReadable: true, lastError: null } });
      expect(a.groups.map((g) => g.name).sort()).toEqual([...demoAccounts.find((d) => d.name === a.name)!.groups].sort());
    }
    expect(board.summary).toMatchObject({ total: demoAccounts.length, active: demoAccounts.length, disabled: 0 });
    const groups = (await app.app.inject({ method: 'GET', url: '/api/account-groups', headers })).json() as AccountGroup[];
    expect(groups.map((g) => [g.name, g.accountCount]).sort()).toEqual(
      demoAccountGroups.map((name) => [name, demoAccounts.filter((a) => a.groups.includes(name)).length]).sort(),
    );
    const stored = await app.testDb.db.query(`select count(*)::int8 as n from accounts where credentials is not null`);
    expect(stored[0]!.n).toBe(0);
  });
});
