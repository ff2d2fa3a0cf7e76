import { StoryInputSchema, type Story } from '@farmlive/shared';
import { emptyForm, formFromStory, formToInput, insertLine, type StoryImage } from './story-form';

const A = '00000000-0000-4000-8000-0000000000a1';
const B = '00000000-0000-4000-8000-0000000000b2';
const C = '00000000-0000-4000-8000-0000000000c3';
const img = (id: string): StoryImage => ({ id, thumbUrl: `/t/${id}`, webUrl: `/w/${id}` });

function story(over: Partial<Story> = {}): Story {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    status: 'draft',
    title: '礼县苹果熟了',
    summary: '',
    author: '礼县融媒',
    bodyHtml: `<p>开头</p><p><img data-image-id="${B}" src="/w/${B}"></p><p>结尾</p>`,
    coverImageId: A,
    imageIds: [B],
    productIds: [C],
    link: { kind: 'product', id: C },
    weiboText: '',
    createdBy: { id: '00000000-0000-4000-8000-000000000009', displayName: '运营' },
    reviewedBy: null,
    reviewNote: null,
    submittedAt: null,
    decidedAt: null,
    publicationCounts: {},
    createdAt: '2026-11-23T01:00:00.000Z',
    updatedAt: '2026-11-23T01:00:00.000Z',
    ...over,
  };
}

describe('story form', () => {
  it('reads a story with the cover first and body images numbered after it', () => {
    const f = formFromStory(story(), new Map([[A, img(A)]]));
    expect(f.images.map((i) => i.id)).toEqual([A, B]);
    expect(f.images[1]).toEqual({ id: B, thumbUrl: null, webUrl: null });
    expect(f.bodyText).toBe('开头\n\n[图片 2]\n\n结尾');
  });

  it('writes a body the server accepts, with the cover defaulting to the first image', () => {
    const f = { ...emptyForm(), title: ' 标题 ', bodyText: '开头\n\n[图片 2]', images: [img(A), img(B)] };
    const input = formToInput(f);
    expect(input).toMatchObject({ title: '标题', coverImageId: A, imageIds: [A, B], bodyHtml: `<p>开头</p><p><img data-image-id="${B}" src="/w/${B}"></p>` });
    expect(StoryInputSchema.safeParse(input).success).toBe(true);
    // A cover that was removed from the images falls back to the first one; no images, no cover.
    expect(formToInput({ ...f, coverImageId: C }).coverImageId).toBe(A);
    expect(formToInput({ ...f, images: [] }).coverImageId).toBeNull();
  });

  it('round-trips a story through the form unchanged', () => {
    const s = story();
    const input = formToInput(formFromStory(s, new Map([[A, img(A)], [B, img(B)]])));
    expect(input).toMatchObject({ title: s.title, author: s.author, coverImageId: A, imageIds: [A, B], productIds: [C], link: s.link, bodyHtml: s.bodyHtml });
  });

  it('puts an image line on its own paragraph wherever the caret is', () => {
    expect(insertLine('', 0, '[图片 1]')).toEqual({ text: '[图片 1]\n', caret: 7 });
    expect(insertLine('第一段第二句', 3, '[图片 1]')).toEqual({ text: '第一段\n\n[图片 1]\n\n第二句', caret: 13 });
    expect(insertLine('第一段\n\n第二段', 5, '[图片 2]').text).toBe('第一段\n\n[图片 2]\n\n第二段');
    expect(insertLine('第一段', 99, '[图片 1]').text).toBe('第一段\n\n[图片 1]\n');
  });
});
