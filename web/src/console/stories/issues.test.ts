import { checkWechatVariant, checkWeiboVariant, type WechatVariant } from '@farmlive/shared';
import { testCt } from '../i18n/test-ct';
import { issueText } from './issues';

const zh = testCt('zh-CN');
const en = testCt('en');
const link = 'https://farm.example.cn/s/Ab3dE';

describe('platform limits in words an editor understands', () => {
  it('says how many characters a Weibo text has and how many to cut', () => {
    const text = `${'礼县苹果'.repeat(35)} ${link}`;
    const [issue] = checkWeiboVariant({ platform: 'weibo', text, link });
    expect(issue).toMatchObject({ code: 'TOO_LONG' });
    // 140 Chinese characters, a space and a 31-character link at half each: 140 + 16 = 156.
    expect(issueText(zh, 'weibo', issue!)).toBe('微博文字有 156 字，最多 140 字，请删掉 16 字（汉字算 1 个，英文字母和数字算半个，链接也算在内）。');
    expect(issueText(en, 'weibo', issue!)).toContain('has 156 characters; the most is 140. Cut 16');
  });

  it('names the part of a WeChat article that is too long, and by how much', () => {
    const v: WechatVariant = {
      platform: 'wechat',
      mode: 'publish',
      articles: [{ title: '陇南礼县的苹果熟了'.repeat(4), contentHtml: '<p>正文</p>', contentSourceUrl: link, coverImage: 'images/x/wechat-cover.jpg', needOpenComment: false, onlyFansCanComment: false }],
    };
    const [issue] = checkWechatVariant(v);
    expect(issueText(zh, 'wechat', issue!)).toBe('标题有 36 字，超过上限 32 字，请删掉 4 字。');
  });

  it('explains what a platform does not allow rather than repeating the rule', () => {
    const topic = checkWeiboVariant({ platform: 'weibo', text: `#丰收节# 苹果 ${link}`, link });
    expect(topic.map((i) => issueText(zh, 'weibo', i))).toEqual(['通过接口发的微博不能带 #话题#，请去掉两个 # 号之间的话题。']);

    const missing = checkWeiboVariant({ platform: 'weibo', text: '苹果熟了', link });
    expect(missing.map((i) => issueText(zh, 'weibo', i))).toEqual([expect.stringContaining('必须带上购买链接')]);

    const base = { title: '标题', contentSourceUrl: link, coverImage: 'k', needOpenComment: false, onlyFansCanComment: false };
    const html = '<p onclick="x()">a</p><img src="https://other.example/a.jpg"><a href="https://shop.example/">买</a>';
    const issues = checkWechatVariant({ platform: 'wechat', mode: 'publish', articles: [{ ...base, contentHtml: html }] });
    expect(issues.map((i) => issueText(zh, 'wechat', i))).toEqual([
      '正文里有脚本或事件代码，微信不允许，请删除。',
      '正文里的图片必须是随图文上传的，不能引用别的网站的图片。',
      '公众号正文里只能链接到其他公众号文章；产品链接会放在“阅读原文”里。',
    ]);
  });

  it('says an empty part is empty, and falls back to the server’s words for a code it does not know', () => {
    expect(issueText(zh, 'wechat', { field: 'articles.0.title', code: 'REQUIRED', message: '' })).toBe('标题不能为空。');
    expect(issueText(zh, 'wechat', { field: 'coverImage', code: 'IMAGE_MISSING', message: '' })).toContain('封面图');
    // The story's link is a choice, not a field to type in: the sentence says where to choose it.
    expect(issueText(zh, null, { field: 'link', code: 'REQUIRED', message: '' })).toContain('请在“关联直播间或活动”里选一个');
    expect(issueText(zh, 'weibo', { field: 'text', code: 'SOMETHING_NEW' as 'REQUIRED', message: 'New rule.' })).toBe('New rule.');
  });
});
