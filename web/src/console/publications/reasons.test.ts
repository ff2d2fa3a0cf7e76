import { publicationReason } from './reasons';

describe('why a publication did not go out', () => {
  it('says FarmLive’s own reasons and the platforms’ content codes in the reader’s language', () => {
    expect(publicationReason('zh-CN', '20031', 'needs_person', 'captcha required').text).toBe('微博要求输入验证码。请登录这个微博账号完成验证后，点“重试”。');
    expect(publicationReason('en', 'LOCAL_WINDOW_FULL', 'rate_limited', 'x').text).toContain('30');
    expect(publicationReason('zh-CN', 'LOCAL_ANSWER_LOST', null, 'The answer was lost.')).toEqual({ text: '平台的回复丢失了。农播正在核对是否已经发出，核对清楚前不会重发。', detail: null });
  });

  it('says account codes as the account board does, and unknown codes by their class with the server’s words', () => {
    expect(publicationReason('zh-CN', '40164', 'misconfigured', 'ip').text).toContain('IP 白名单');
    expect(publicationReason('zh-CN', '99999', 'bad_content', 'Something new.')).toEqual({ text: '平台拒绝了内容，请修改图文后再发布。', detail: 'Something new.' });
  });
});
