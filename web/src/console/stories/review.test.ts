import type { Role } from '@farmlive/shared';
import { isEditable, reviewBlock, reviewNoteProblem } from './review';

const author = { id: '00000000-0000-4000-8000-000000000001', roles: ['official', 'reviewer'] as Role[] };
const reviewer = { id: '00000000-0000-4000-8000-000000000002', roles: ['reviewer'] as Role[] };
const story = (status: string) => ({ status, createdBy: { id: author.id } });

describe('who may review a story', () => {
  it('lets another reviewer decide on a story in review', () => {
    expect(reviewBlock(story('in_review'), reviewer)).toBeNull();
  });

  it('refuses the author, even when the author is a reviewer or an admin', () => {
    expect(reviewBlock(story('in_review'), author)).toBe('own');
    expect(reviewBlock(story('in_review'), { ...author, roles: ['admin'] })).toBe('own');
  });

  it('refuses a story not waiting for review, and a person without the role', () => {
    expect(reviewBlock(story('approved'), reviewer)).toBe('notInReview');
    expect(reviewBlock(story('draft'), reviewer)).toBe('notInReview');
    expect(reviewBlock(story('in_review'), { ...reviewer, roles: ['official'] })).toBe('role');
    expect(reviewBlock(story('in_review'), null)).toBe('role');
  });

  it('asks for a note only when sending a story back', () => {
    expect(reviewNoteProblem('request_changes', '  ')).toBe('noteRequired');
    expect(reviewNoteProblem('request_changes', '标题太长')).toBeNull();
    expect(reviewNoteProblem('approve', '')).toBeNull();
  });

  it('lets the author edit drafts and stories sent back, not stories in review or approved', () => {
    expect([null, story('draft'), story('changes_requested'), story('in_review'), story('approved')].map(isEditable)).toEqual([true, true, true, false, false]);
  });
});
