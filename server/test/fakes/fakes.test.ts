import { ManualClock } from '../../src/platform/clock';
import { imageBytes } from './harness';
import { WechatFake } from './wechat-fake';
import { WeiboFake } from './weibo-fake';

/** The fakes' own contract: rules the clients never exercise on the happy path, checked over HTTP. */

const clock = new ManualClock('2026-10-17T02:00:00Z');
const wechat = new WechatFake(clock);
const weibo = new WeiboFake(clock);
beforeAll(() => Promise.all([wechat.start(), weibo.start()]));
afterAll(() => Promise.all([wechat.close(), weibo.close()]));

describe('WeChat fake', () => {
  const app = wechat.addApp();
  const postJson = (path: string, body: unknown, query = '') => fetch(`${wechat.url}${path}${query}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, unknown>>);
  const token = async () => (await postJson('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: app.appid, secret: app.secret })).access_token as string;
  const upload = async (path: string, bytes: Buffer, t: string) => {
    const form = new FormData();
    form.append('media', new Blob([new Uint8Array(bytes)]), 'a.bin');
    return (await fetch(`${wechat.url}${path}${path.includes('?') ? '&' : '?'}access_token=${t}`, { method: 'POST', body: form })).json() as Promise<Record<string, unknown>>;
  };

  it('answers errors as HTTP 200 with errcode: missing token, bad credentials', async () => {
    const res = await fetch(`${wechat.url}/cgi-bin/draft/count`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ errcode: 41001 });
    expect(await postJson('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: 'wx0000000000000000', secret: 'x' })).toMatchObject({ errcode: 40013 });
    expect(await postJson('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: app.appid, secret: 'wrong' })).toMatchObject({ errcode: 40125 });
    expect(await postJson('/cgi-bin/stable_token', '')).toMatchObject({ errcode: 44002 });
  });

  it('limits forced refreshes to 20 a day', async () => {
    const other = wechat.addApp();
    const force = () => postJson('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: other.appid, secret: other.secret, force_refresh: true });
    for (let i = 0; i < 20; i++) {
      expect((await force()).access_token).toBeTruthy();
      clock.advance(31_000);
    }
    expect(await force()).toMatchObject({ errcode: 45009 });
  });

  it('keeps the previous token working for 5 minutes after the old /cgi-bin/token', async () => {
    const old = wechat.addApp();
    const get = () => fetch(`${wechat.url}/cgi-bin/token?grant_type=client_credential&appid=${old.appid}&secret=${old.secret}`).then((r) => r.json() as Promise<{ access_token: string }>);
    const a = (await get()).access_token;
    const b = (await get()).access_token;
    expect(a).not.toBe(b);
    const count = (t: string) => fetch(`${wechat.url}/cgi-bin/draft/count?access_token=${t}`).then((r) => r.json());
    expect(await count(a)).toMatchObject({ total_count: 0 });
    clock.advance(5 * 60_000 + 1);
    expect(await count(a)).toMatchObject({ errcode: 40001 });
    expect(await count(b)).toMatchObject({ total_count: 0 });
  });

  it('holds uploadimg and add_material to their sizes and types', async () => {
    const t = await token();
    expect(await upload('/cgi-bin/media/uploadimg', imageBytes('png', 4096), t)).toMatchObject({ url: expect.stringMatching(/^http:\/\/mmbiz\.qpic\.cn\//) });
    expect(await upload('/cgi-bin/media/uploadimg', imageBytes('gif'), t)).toMatchObject({ errcode: 40005 });
    expect(await upload('/cgi-bin/media/uploadimg', imageBytes('jpeg', 1024 * 1024), t)).toMatchObject({ errcode: 40009 });
    expect(await upload('/cgi-bin/material/add_material?type=thumb', imageBytes('png'), t)).toMatchObject({ errcode: 40005 });
    expect(await upload('/cgi-bin/material/add_material?type=thumb', imageBytes('jpeg', 65 * 1024), t)).toMatchObject({ errcode: 40012 });
    expect(await upload('/cgi-bin/material/add_material?type=image', imageBytes('gif', 10 * 1024 * 1024 + 1), t)).toMatchObject({ errcode: 40009 });
    expect(await upload('/cgi-bin/material/add_material?type=video2', imageBytes('jpeg'), t)).toMatchObject({ errcode: 40004 });
    expect(await upload('/cgi-bin/material/add_material?type=image', imageBytes('gif'), t)).toMatchObject({ media_id: expect.any(String) });
  });

  it('checks draft fields: limits, the cover, uploaded images only, WeChat links only, literal CJK', async () => {
    const t = await token();
    const cover = (await upload('/cgi-bin/material/add_material?type=image', imageBytes('jpeg'), t)).media_id as string;
    const q = `?access_token=${t}`;
    const article = (over: Record<string, unknown>) => ({ articles: [{ title: '标题', content: '<p>正文</p>', thumb_media_id: cover, ...over }] });
    expect(await postJson('/cgi-bin/draft/add', article({}), q)).toMatchObject({ media_id: expect.any(String) });
    expect(await postJson('/cgi-bin/draft/add', article({ title: '长'.repeat(33) }), q)).toMatchObject({ errcode: 45166 });
    expect(await postJson('/cgi-bin/draft/add', article({ thumb_media_id: 'nope' }), q)).toMatchObject({ errcode: 40007 });
    expect(await postJson('/cgi-bin/draft/add', article({ content: '<img src="https://elsewhere.example/a.jpg">' }), q)).toMatchObject({ errcode: 45166 });
    expect(await postJson('/cgi-bin/draft/add', article({ content: '<a href="https://shop.example">买</a>' }), q)).toMatchObject({ errcode: 45166 });
    expect(await postJson('/cgi-bin/draft/add', article({ content: 'x'.repeat(20_000) }), q)).toMatchObject({ errcode: 45001 });
    expect(await postJson('/cgi-bin/draft/add', JSON.stringify(article({})).replace('标题', '\\u6807\\u9898'), q)).toMatchObject({ errcode: 40033 });
    expect(await postJson('/cgi-bin/draft/add', '{not json', q)).toMatchObject({ errcode: 47001 });
  });
});

describe('Weibo fake', () => {
  it('answers ids beyond 2^53 that JSON.parse gets wrong: only idstr is exact', async () => {
    const { token } = weibo.issueToken('7000000001');
    const res = await fetch(`${weibo.url}/2/statuses/share.json`, { method: 'POST', body: new URLSearchParams({ access_token: token, status: `好 https://${weibo.safeDomain}/s/1`, rip: '203.0.113.1' }) });
    const text = await res.text();
    const parsed = JSON.parse(text) as { id: number; idstr: string };
    expect(String(parsed.id)).not.toBe(parsed.idstr);
    expect(text).toContain(`"id":${parsed.idstr}`);
  });

  it('holds pictures to JPEG, GIF or PNG under 5 MB, in multipart, and wants rip', async () => {
    const { token } = weibo.issueToken('7000000002');
    const share = async (fields: Record<string, string>, pic?: Buffer) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ access_token: token, status: `图 ${Math.random()} https://${weibo.safeDomain}/s/2`, rip: '203.0.113.1', ...fields })) form.append(k, v);
      if (pic) form.append('pic', new Blob([new Uint8Array(pic)]), 'p.jpg');
      const res = await fetch(`${weibo.url}/2/statuses/share.json`, { method: 'POST', body: form });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await share({}, imageBytes('png'))).toMatchObject({ status: 200, body: { idstr: expect.any(String) } });
    expect(await share({}, imageBytes('text'))).toMatchObject({ status: 400, body: { error_code: '20005' } });
    expect(await share({}, imageBytes('jpeg', 5 * 1024 * 1024))).toMatchObject({ body: { error_code: '20006' } });
    expect(await share({})).toMatchObject({ body: { error_code: '20007' } });
    const noRip = await fetch(`${weibo.url}/2/statuses/share.json`, { method: 'POST', body: new URLSearchParams({ access_token: token, status: `x https://${weibo.safeDomain}/s/3` }) });
    expect(await noRip.json()).toMatchObject({ error_code: '10016' });
  });

  it('spends an OAuth code once and checks the redirect URI', async () => {
    weibo.redirectUri = 'https://farmlive.test/cb';
    const page = await fetch(`${weibo.url}/oauth2/authorize?client_id=${weibo.appKey}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&response_type=code`, { redirect: 'manual' });
    expect(await page.json()).toMatchObject({ error_code: '21322' });
    const ok = await fetch(`${weibo.url}/oauth2/authorize?client_id=${weibo.appKey}&redirect_uri=${encodeURIComponent(weibo.redirectUri)}&response_type=code&state=s`, { redirect: 'manual' });
    const code = new URL(ok.headers.get('location')!).searchParams.get('code')!;
    const exchange = () =>
      fetch(`${weibo.url}/oauth2/access_token`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: weibo.appKey, client_secret: weibo.appSecret, grant_type: 'authorization_code', code, redirect_uri: weibo.redirectUri }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    expect(await exchange()).toMatchObject({ status: 200, body: { access_token: expect.any(String), expires_in: 86_400, uid: weibo.authorizeAs } });
    expect(await exchange()).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_code: 21325 } });
  });
});
