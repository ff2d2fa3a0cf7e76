/**
 * The story body as an editor writes it: plain paragraphs separated by a blank line, and an image
 * as a line of its own, `[图片 2]` (or `[image 2]`), naming the story's second image. Stored as the
 * small HTML the server accepts (`<p>`, `<br>`, `<img data-image-id>`), and read back from it, so
 * nobody has to write HTML and nothing an editor types can become markup.
 */
const MARKER = /^\s*\[\s*(?:图片|image)\s*(\d{1,3})\s*\]\s*$/i;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The marker for the `n`-th image (1-based) in the reader's language. */
export const imageMarker = (n: number, word = '图片') => `[${word} ${n}]`;

/**
 * Text to body HTML. A marker naming an image the story does not have stays as text, so the
 * editor sees it in the preview and can fix it.
 */
export function bodyToHtml(text: string, imageIds: readonly string[], srcOf: (id: string) => string | null = () => null): string {
  const out: string[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push(`<p>${para.map(escapeHtml).join('<br>')}</p>`);
    para = [];
  };
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const m = MARKER.exec(line);
    const id = m ? imageIds[Number(m[1]) - 1] : undefined;
    if (id) {
      flush();
      const src = srcOf(id);
      out.push(`<p><img data-image-id="${escapeHtml(id)}"${src ? ` src="${escapeHtml(src)}"` : ''}></p>`);
    } else if (!line.trim()) flush();
    else para.push(line.trim());
  }
  flush();
  return out.join('');
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    return entities[e.toLowerCase()] ?? whole;
  });

/**
 * Body HTML back to text. Images become markers numbered by their place in `imageIds`; an image
 * the list lacks is added to the end of it. Block ends become blank lines; other tags are dropped.
 */
export function htmlToBody(html: string, imageIds: readonly string[], word = '图片'): { text: string; imageIds: string[] } {
  const ids = [...imageIds];
  const text = html
    .replace(/<img\b[^>]*?\bdata-image-id\s*=\s*["']([^"']+)["'][^>]*>/gi, (_, id: string) => {
      let i = ids.indexOf(id);
      if (i < 0) i = ids.push(id) - 1;
      return `\n\n${imageMarker(i + 1, word)}\n\n`;
    })
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|h[1-6]|li|blockquote|section|ul|ol)\s*>|<hr\s*\/?>/gi, '\n\n')
    .replace(/<[^>]*>/g, '');
  const lines = decode(text)
    .split('\n')
    .map((l) => l.trim());
  return { text: lines.join('\n').replace(/\n{3,}/g, '\n\n').trim(), imageIds: ids };
}

/** Which images (1-based) the text places, in order, for the image panel's "in the body" marks. */
export function placedImages(text: string): number[] {
  const out: number[] = [];
  for (const line of text.split('\n')) {
    const m = MARKER.exec(line);
    if (m) out.push(Number(m[1]));
  }
  return out;
}
