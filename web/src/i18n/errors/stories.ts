import type { publishingErrors, storyErrors } from '@farmlive/shared';
import type { Texts } from './texts';

type Codes = keyof typeof storyErrors | keyof typeof publishingErrors;

const zhCN: Texts<Codes> = {
  STORY_NOT_FOUND: '这篇图文不存在。',
  STORY_NOT_EDITABLE: '这篇图文正在审核或已通过；请先撤回为草稿再修改。',
  STORY_NOT_IN_REVIEW: '这篇图文没有在等待审核。',
  STORY_NOT_APPROVED: '只有审核通过的图文才能排期发布。',
  STORY_OWN_REVIEW: '不能审核自己写的图文，请由其他审核人审核。',
  STORY_LIMITS_EXCEEDED: '这篇图文还不符合所有平台的要求，请查看具体问题。',
  STORY_HAS_PUBLICATIONS: '这篇图文有待发布或已发布的记录，请先取消。',
  STORY_IMAGE_NOT_FOUND: '图文中的某张图片不存在（可能已被删除）。',
  STORY_PRODUCT_NOT_FOUND: '关联的商品不存在。',
  STORY_LINK_NOT_FOUND: '关联的直播间、活动或商品不存在。',
  PUBLICATION_NOT_FOUND: '这条发布记录不存在。',
  PUBLICATION_NOT_RETRYABLE: '只有失败、暂停或需要人工处理的发布才能重试。',
  PUBLICATION_NOT_CANCELLABLE: '这条发布已在进行或已完成，不能取消。',
  SCHEDULE_NO_ACCOUNTS: '所选账号都不能发布这篇图文。',
  SCHEDULE_IN_PAST: '所选时间已经过去了。',
  LINK_NOT_FOUND: '这个链接不存在。',
};

const en: Texts<Codes> = {
  STORY_NOT_FOUND: 'This story does not exist.',
  STORY_NOT_EDITABLE: 'This story is in review or approved; withdraw it to a draft before changing it.',
  STORY_NOT_IN_REVIEW: 'This story is not waiting for review.',
  STORY_NOT_APPROVED: 'Only an approved story can be scheduled.',
  STORY_OWN_REVIEW: 'You cannot review a story you wrote; another reviewer must.',
  STORY_LIMITS_EXCEEDED: 'The story does not fit every platform yet; see the details.',
  STORY_HAS_PUBLICATIONS: 'This story has publications waiting or live; cancel them first.',
  STORY_IMAGE_NOT_FOUND: 'An image of this story does not exist (it may have been deleted).',
  STORY_PRODUCT_NOT_FOUND: 'A linked product does not exist.',
  STORY_LINK_NOT_FOUND: 'The linked room, campaign or product does not exist.',
  PUBLICATION_NOT_FOUND: 'This publication does not exist.',
  PUBLICATION_NOT_RETRYABLE: 'Only a failed, parked or stuck publication can be tried again.',
  PUBLICATION_NOT_CANCELLABLE: 'This publication is already under way or done; it cannot be cancelled.',
  SCHEDULE_NO_ACCOUNTS: 'None of the chosen accounts can publish this story.',
  SCHEDULE_IN_PAST: 'The chosen time has passed.',
  LINK_NOT_FOUND: 'This link does not exist.',
};

export const storyErrorTexts = { 'zh-CN': zhCN, en };
