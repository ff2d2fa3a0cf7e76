import { reasonText } from '../i18n/reasons';
import { runBulk } from './bulk';

describe('runBulk', () => {
  it('keeps at most `limit` calls in flight, finishes them all, and collects failures without stopping', async () => {
    let inFlight = 0;
    let most = 0;
    const progress: number[] = [];
    const result = await runBulk(
      [1, 2, 3, 4, 5, 6, 7],
      async (n) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        if (n % 3 === 0) throw new Error(`bad ${n}`);
        return n * 10;
      },
      { limit: 3, onProgress: (done) => progress.push(done) },
    );
    expect(most).toBe(3);
    expect(result.ok.map((r) => r.result).sort((a, b) => a - b)).toEqual([10, 20, 40, 50, 70]);
    expect(result.failed.map((f) => f.item).sort()).toEqual([3, 6]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('does nothing for nothing', async () => {
    expect(await runBulk([], async () => 1)).toEqual({ ok: [], failed: [] });
  });
});

describe('reasons by code', () => {
  it('says a known platform code in the reader’s language, with no English detail', () => {
    expect(reasonText('zh-CN', '40164', 'misconfigured', "This server's IP address is not on the account's IP whitelist.")).toEqual({
      text: expect.stringContaining('IP 白名单'),
      detail: null,
    });
    expect(reasonText('en', 'MANUAL', null, 'Switched off by 礼县融媒体中心.').text).toContain('Switched off');
    expect(reasonText('zh-CN', '21327', 'reauthorize', null).text).toContain('重新授权');
  });

  it('falls back to the class, keeping the server’s words as the detail', () => {
    expect(reasonText('zh-CN', '99999', 'needs_person', 'WeChat answered 99999')).toEqual({ text: expect.stringContaining('需要有人'), detail: 'WeChat answered 99999' });
    expect(reasonText('zh-CN', null, null, 'something')).toEqual({ text: 'something', detail: null });
  });
});
