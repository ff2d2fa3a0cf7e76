import { checkWechatVariant, checkWeiboVariant, inlineImageKeys, weiboTextLength, type WechatVariant } from './channels';

describe('Weibo length rule', () => {
  it('counts Chinese as 1, ASCII as 0.5 rounded up, and characters outside the basic plane as 2', () => {
    expect(weiboTextLength('礼县苹果')).toBe(4);
    expect(weiboTextLength('abc')).toBe(2);
    expect(weiboTextLength('苹果 https://a.cn/s/1')).toBe(11);
    expect(weiboTextLength('🍎')).toBe(2);
    expect(weiboTextLength('苹'.repeat(140))).toBe(140);
  });
});

describe('variant checks', () => {
  const link = 'https://farmlive.test/s/abc';
  it('accepts a Weibo post with its link on the safe domain, and explains each refusal', () => {
    expect(checkWeiboVariant({ platform: 'weibo', text: `好苹果 ${link}`, link }, { safeDomain: 'farmlive.test' })).toEqual([]);
    expect(checkWeiboVariant({ platform: 'weibo', text: `好苹果 ${link}`, link }, { safeDomain: 's.farmlive.test' }).map((i) => i.code)).toEqual(['LINK_DOMAIN']);
    expect(checkWeiboVariant({ platform: 'weibo', text: '好苹果', link }).map((i) => i.code)).toEqual(['LINK_MISSING']);
    expect(checkWeiboVariant({ platform: 'weibo', text: `#苹果节# ${link}`, link }).map((i) => i.code)).toEqual(['NOT_ALLOWED']);
    expect(checkWeiboVariant({ platform: 'weibo', text: `${'苹'.repeat(140)}${link}`, link })[0]).toMatchObject({ code: 'TOO_LONG', limit: 140, actual: 154 });
  });

  const article = (over: Partial<WechatVariant['articles'][number]> = {}): WechatVariant => ({
    platform: 'wechat',
    mode: 'publish',
    articles: [{ title: '标题', contentHtml: '<p>正文</p><img src="fl-img:a.jpg"><img src=\'fl-img:b.png\'>', contentSourceUrl: link, coverImage: 'c.jpg', needOpenComment: false, onlyFansCanComment: false, ...over }],
  });

  it('checks WeChat articles: lengths, scripts, foreign images and links', () => {
    expect(checkWechatVariant(article())).toEqual([]);
    expect(inlineImageKeys(article().articles[0]!.contentHtml)).toEqual(['a.jpg', 'b.png']);
    expect(checkWechatVariant(article({ author: '作'.repeat(17), digest: '摘'.repeat(129) })).map((i) => i.field)).toEqual(['articles.0.author', 'articles.0.digest']);
    expect(checkWechatVariant(article({ contentHtml: '<p onclick="x()">x</p>' }))[0]).toMatchObject({ code: 'NOT_ALLOWED' });
    expect(checkWechatVariant(article({ contentHtml: '<script>x</script>' }))[0]).toMatchObject({ code: 'NOT_ALLOWED' });
    expect(checkWechatVariant(article({ contentHtml: '<a href="https://shop.example">买</a>' }))[0]).toMatchObject({ code: 'NOT_ALLOWED' });
    expect(checkWechatVariant(article({ contentHtml: '<a href="https://mp.weixin.qq.com/s/abc">往期</a>' }))).toEqual([]);
    expect(checkWechatVariant(article({ contentHtml: 'x'.repeat(20_000) }))[0]).toMatchObject({ code: 'TOO_LONG', limit: 19_999 });
  });
});
