import type { User } from '@farmlive/shared';

/**
 * Whether a person may decide on a story, and if not, why, so the page can say it before the
 * server refuses (the server refuses anyway: STORY_OWN_REVIEW, STORY_NOT_IN_REVIEW).
 * - `own`: the person wrote it; nobody approves their own story, admins included.
 * - `notInReview`: it is not waiting for review.
 * - `role`: the person is not a reviewer.
 */
export type ReviewBlock = 'own' | 'notInReview' | 'role' | null;

export function reviewBlock(story: { status: string; createdBy: { id: string } }, user: Pick<User, 'id' | 'roles'> | null): ReviewBlock {
  if (!user || !(user.roles.includes('reviewer') || user.roles.includes('admin'))) return 'role';
  if (story.createdBy.id === user.id) return 'own';
  if (story.status !== 'in_review') return 'notInReview';
  return null;
}

/** Statuses in which the author may still change the story (the server's STORY_NOT_EDITABLE otherwise). */
export const editableStatuses: readonly string[] = ['draft', 'changes_requested'];
export const isEditable = (story: { status: string } | null) => !story || editableStatuses.includes(story.status);

/** A note is required to send a story back: the author must learn what to change. */
export function reviewNoteProblem(decision: 'approve' | 'request_changes', note: string): 'noteRequired' | null {
  return decision === 'request_changes' && !note.trim() ? 'noteRequired' : null;
}
