import { weiboTextLength, type RenderedVariant } from '@farmlive/shared';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Images as the preview shows them: their URL when the pipeline gave one, else a labelled box. */
export type PreviewImages = ReadonlyMap<string, { url?: string }>;

const imgSrc = (images: PreviewImages, key: string) =>
  images.get(key)?.url ?? `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"><rect width="100%" height="100%" fill="#eee"/><text x="10" y="95" font-size="12">${esc(key)}</text></svg>`)}`;

const page = (title: string, body: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>body{margin:0;background:#f3f3f3;font:16px/1.6 system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;color:#222}
.card{max-width:640px;margin:16px auto;background:#fff;padding:16px 20px;border-radius:8px}
.meta{color:#888;font-size:13px}.note{max-width:640px;margin:8px auto;color:#a60;font-size:13px;padding:0 4px}
img{max-width:100%}</style></head><body>
<p class="note">FarmLive sandbox: this is what would have been sent. Nothing was posted.</p>${body}</body></html>`;

/**
 * A page showing a variant roughly as the platform would. The article HTML is the editor's own,
 * so the route serves this under a Content-Security-Policy sandbox: no script can run.
 */
export function renderPreview(v: RenderedVariant, images: PreviewImages, accountName: string): string {
  if (v.platform === 'weibo') {
    const text = esc(v.text).replace(esc(v.link), `<a href="${esc(v.link)}">${esc(v.link)}</a>`);
    const pic = v.picture ? `<p><img src="${esc(imgSrc(images, v.picture))}" alt=""></p>` : '';
    return page(`${accountName} · 微博`, `<div class="card"><p class="meta">${esc(accountName)} · 微博 · ${weiboTextLength(v.text)}/140</p><p>${text}</p>${pic}</div>`);
  }
  const articles = v.articles
    .map((a) => {
      const content = a.contentHtml
        .replace(/<script\b[\s\S]*?<\/script>/gi, '')
        .replace(/(<img\b[^>]*?\bsrc\s*=\s*)(["'])fl-img:([^"']+)\2/gi, (_m, pre: string, q: string, key: string) => `${pre}${q}${esc(imgSrc(images, key))}${q}`);
      return `<div class="card"><img src="${esc(imgSrc(images, a.coverImage))}" alt="">
<h1>${esc(a.title)}</h1><p class="meta">${esc(a.author ?? accountName)}${a.digest ? ` · ${esc(a.digest)}` : ''}</p>
${content}<p class="meta"><a href="${esc(a.contentSourceUrl)}">阅读原文</a></p></div>`;
    })
    .join('\n');
  const mode = v.mode === 'mass_send' ? '群发' : '发表';
  return page(`${accountName} · 公众号`, `<p class="note">${esc(accountName)} · 公众号 · ${mode}</p>${articles}`);
}

export const PREVIEW_CSP = "sandbox; default-src 'none'; img-src * data:; style-src 'unsafe-inline'";
