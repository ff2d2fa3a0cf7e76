import { phaseOf } from './flash-sale-view';

describe('flash sale phase', () => {
  const starts = new Date('2026-10-17T02:00:00Z');
  const ends = new Date('2026-10-17T02:10:00Z');
  const at = (iso: string) => new Date(iso);
  it('follows the stored status and the window at the moment of reading', () => {
    expect(phaseOf({ status: 'draft', startsAt: null, endsAt: null }, starts)).toBe('draft');
    expect(phaseOf({ status: 'announced', startsAt: null, endsAt: null }, starts)).toBe('announced');
    expect(phaseOf({ status: 'announced', startsAt: starts, endsAt: ends }, at('2026-10-17T01:59:59Z'))).toBe('countdown');
    expect(phaseOf({ status: 'announced', startsAt: starts, endsAt: ends }, starts)).toBe('live');
    expect(phaseOf({ status: 'announced', startsAt: starts, endsAt: ends }, ends)).toBe('ended');
    expect(phaseOf({ status: 'ended', startsAt: starts, endsAt: ends }, starts)).toBe('ended');
  });
});
