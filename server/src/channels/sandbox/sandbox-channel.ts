import { checkVariant, inlineImageKeys, type PublishOutcome, type RenderedVariant } from '@farmlive/shared';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/db';
import type { Channel, ImageMap } from '../channel';
import { failed, failure, issuesFailure } from '../failures';
import { createSandboxRepo } from './sandbox.repo';
import { renderPreview } from './sandbox-preview';

export const sandboxPreviewUrl = (publicUrl: string, id: string) => `${publicUrl}/api/sandbox/posts/${id}/preview`;

function missingImages(v: RenderedVariant, images: ImageMap): string[] {
  const keys = v.platform === 'weibo' ? (v.picture ? [v.picture] : []) : v.articles.flatMap((a) => [a.coverImage, ...inlineImageKeys(a.contentHtml)]);
  return keys.filter((k) => !images.has(k));
}

/**
 * The default channel: no credentials, nothing leaves the machine. It applies the same checks as
 * the platform it imitates, records the post once per idempotency key and renders a preview, so
 * stories, review and scheduling can be used and tested before any platform account exists.
 */
export function createSandboxChannel(deps: { db: Db; clock: Clock; publicUrl: string; safeDomain: string | null }): Channel {
  const repo = createSandboxRepo(deps.db);
  return {
    kind: 'sandbox',

    async publish(req): Promise<PublishOutcome> {
      const v = req.variant;
      if (v.platform !== req.account.imitates) {
        return failed(failure('bad_request', 'LOCAL_WRONG_PLATFORM', '', `This sandbox account previews ${req.account.imitates ?? 'nothing'}; the variant is for ${v.platform}.`));
      }
      const issues = checkVariant(v, { safeDomain: deps.safeDomain });
      if (issues.length) return failed(issuesFailure(issues));
      const missing = missingImages(v, req.images);
      if (missing.length) {
        const message = `The images ${missing.join(', ')} are missing from the story.`;
        return failed(failure('bad_content', 'LOCAL_IMAGE', '', message, undefined, missing.map((k) => ({ field: k, code: 'IMAGE_MISSING' as const, message }))));
      }
      const { post, inserted } = await repo.record({
        accountId: req.account.id,
        key: req.idempotencyKey,
        variant: v,
        previewHtml: renderPreview(v, req.images, req.account.name),
        at: deps.clock.now(),
      });
      return { status: 'published', remoteId: post.id, url: sandboxPreviewUrl(deps.publicUrl, post.id), alreadyDone: !inserted };
    },

    async status(_account, ref) {
      const post = await repo.byId(ref.remoteId);
      if (!post) return { status: 'removed', reason: 'The sandbox post does not exist.' };
      return { status: 'published', remoteId: post.id, url: sandboxPreviewUrl(deps.publicUrl, post.id), failedArticles: [] };
    },

    async reconcile(req) {
      const post = await repo.byKey(req.account.id, req.idempotencyKey);
      return post ? { status: 'found', remoteId: post.id, url: sandboxPreviewUrl(deps.publicUrl, post.id) } : { status: 'not_found', settled: true };
    },

    async check() {
      return { ok: true, tokenExpiresAt: null };
    },
  };
}
