import { defineErrors } from './define';

/** Stories, review, scheduling, publications and attribution links. */
export const storyErrors = defineErrors({
  STORY_NOT_FOUND: { status: 404, message: 'This story does not exist.' },
  STORY_NOT_EDITABLE: { status: 409, message: 'This story is in review or approved; withdraw it to a draft before changing it.' },
  STORY_NOT_IN_REVIEW: { status: 409, message: 'This story is not waiting for review.' },
  STORY_NOT_APPROVED: { status: 409, message: 'Only an approved story can be scheduled.' },
  STORY_OWN_REVIEW: { status: 403, message: 'You cannot review a story you wrote; another reviewer must.' },
  STORY_LIMITS_EXCEEDED: { status: 422, message: 'The story does not fit every platform yet; see the details.' },
  STORY_HAS_PUBLICATIONS: { status: 409, message: 'This story has publications waiting or live; cancel them first.' },
  STORY_IMAGE_NOT_FOUND: { status: 400, message: 'An image of this story does not exist (it may have been deleted).' },
  STORY_PRODUCT_NOT_FOUND: { status: 400, message: 'A linked product does not exist.' },
  STORY_LINK_NOT_FOUND: { status: 400, message: 'The linked room, campaign or product does not exist.' },
});

export const publishingErrors = defineErrors({
  PUBLICATION_NOT_FOUND: { status: 404, message: 'This publication does not exist.' },
  PUBLICATION_NOT_RETRYABLE: { status: 409, message: 'Only a failed, parked or stuck publication can be tried again.' },
  PUBLICATION_NOT_CANCELLABLE: { status: 409, message: 'This publication is already under way or done; it cannot be cancelled.' },
  SCHEDULE_NO_ACCOUNTS: { status: 400, message: 'None of the chosen accounts can publish this story.' },
  SCHEDULE_IN_PAST: { status: 400, message: 'The chosen time has passed.' },
  LINK_NOT_FOUND: { status: 404, message: 'This link does not exist.' },
});
