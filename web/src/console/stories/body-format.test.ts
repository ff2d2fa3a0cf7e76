import { bodyToHtml, htmlToBody, imageMarker, placedImages } from './body-format';

const A = '00000000-0000-4000-8000-0000000000a1';
const B = '00000000-0000-4000-8000-0000000000b2';

describe('story body', () => {
  it('writes paragraphs, line breaks and images as the small HTML the server takes', () => {
    const text = '礼县的苹果熟了。\n果农老李说：今年雨水好。\n\n[图片 1]\n\n甜度 15 度以上。\n[image 2]\n';
    expect(bodyToHtml(text, [A, B], (id) => `/api/media/images/${id}/web-720`)).toBe(
      `<p>礼县的苹果熟了。<br>果农老李说：今年雨水好。</p><p><img data-image-id="${A}" src="/api/media/images/${A}/web-720"></p><p>甜度 15 度以上。</p><p><img data-image-id="${B}" src="/api/media/images/${B}/web-720"></p>`,
    );
  });

  it('never turns what an editor types into markup', () => {
    expect(bodyToHtml('<script>alert(1)</script> & <b onclick="x">', [])).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b onclick=&quot;x&quot;&gt;</p>');
  });

  it('leaves a marker for an image the story lacks as text, so the preview shows it', () => {
    expect(bodyToHtml('[图片 3]', [A])).toBe('<p>[图片 3]</p>');
  });

  it('reads stored HTML back as text with markers, adding images the list lacked', () => {
    const html = `<h2>果园</h2><p>老李 &amp; 家人<br>在摘苹果</p><p><img data-image-id="${B}" src="x"></p><ul><li>一</li><li>二</li></ul>`;
    expect(htmlToBody(html, [A])).toEqual({ text: '果园\n\n老李 & 家人\n在摘苹果\n\n[图片 2]\n\n一\n\n二', imageIds: [A, B] });
    expect(htmlToBody(html, [A], 'image').text).toContain('[image 2]');
  });

  it('round-trips what it writes', () => {
    const text = '第一段\n第二行\n\n[图片 2]\n\n第三段 <不是标签> &amp;';
    const html = bodyToHtml(text, [A, B]);
    expect(htmlToBody(html, [A, B])).toEqual({ text, imageIds: [A, B] });
  });

  it('lists the images a text places', () => {
    expect(placedImages(`开头\n${imageMarker(2)}\n中间\n[image 1]\n[图片 x]`)).toEqual([2, 1]);
  });
});
