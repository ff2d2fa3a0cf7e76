/**
 * Crop regions for the upload form, in the photo's own pixels, and WeChat's normalised
 * `x1_y1_x2_y2` strings the upload sends as `crop235` / `crop11` (shared/src/media.ts). The server
 * accepts a region within 3 % of the shape and trims it exactly; this keeps it exact to begin with.
 */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const COVER_ASPECT = 2.35;
export const SQUARE_ASPECT = 1;
/** The smallest region the editor can make, as a share of the photo's shorter side. */
const MIN_SHARE = 0.1;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The largest region of `aspect` (width / height) in a `width` x `height` photo, centred. */
export function largestCentred(width: number, height: number, aspect: number): Rect {
  const w = width / height > aspect ? height * aspect : width;
  const h = w / aspect;
  return { x: (width - w) / 2, y: (height - h) / 2, w, h };
}

/** Moves a region by (dx, dy) pixels, stopping at the photo's edges. */
export function moveBy(r: Rect, dx: number, dy: number, width: number, height: number): Rect {
  return { ...r, x: clamp(r.x + dx, 0, width - r.w), y: clamp(r.y + dy, 0, height - r.h) };
}

/**
 * Resizes a region to `w` pixels wide, keeping `aspect` and its top-left corner (or its centre),
 * within the photo and no smaller than a tenth of it.
 */
export function resizeTo(r: Rect, w: number, aspect: number, width: number, height: number, keep: 'corner' | 'centre' = 'corner'): Rect {
  const maxFit = largestCentred(width, height, aspect).w;
  const min = Math.min(maxFit, Math.min(width, height) * MIN_SHARE * Math.max(1, aspect));
  let nw = clamp(w, min, maxFit);
  const cx = r.x + r.w / 2;
  const cy = r.y + r.h / 2;
  let x = keep === 'centre' ? cx - nw / 2 : r.x;
  let y = keep === 'centre' ? cy - nw / aspect / 2 : r.y;
  // From a fixed corner, the region may only grow as far as the edges beyond that corner.
  if (keep === 'corner') nw = Math.min(nw, width - x, (height - y) * aspect);
  const nh = nw / aspect;
  x = clamp(x, 0, width - nw);
  y = clamp(y, 0, height - nh);
  return { x, y, w: nw, h: nh };
}

const fraction = (v: number) => String(Number(clamp(v, 0, 1).toFixed(6)));

/** The region as WeChat's normalised `x1_y1_x2_y2`. */
export function toCrop(r: Rect, width: number, height: number): string {
  return [r.x / width, r.y / height, (r.x + r.w) / width, (r.y + r.h) / height].map(fraction).join('_');
}

/** A normalised crop as a region of a `width` x `height` photo; null when it is not one. */
export function fromCrop(crop: string, width: number, height: number): Rect | null {
  const n = crop.split('_').map(Number);
  if (n.length !== 4 || n.some((v) => !Number.isFinite(v) || v < 0 || v > 1)) return null;
  const [x1, y1, x2, y2] = n as [number, number, number, number];
  if (x1 >= x2 || y1 >= y2) return null;
  return { x: x1 * width, y: y1 * height, w: (x2 - x1) * width, h: (y2 - y1) * height };
}

/** The region as CSS percentages of the photo, for drawing it over any size of the same photo. */
export function cropStyle(crop: string): Record<string, string> | null {
  const r = fromCrop(crop, 100, 100);
  const pct = (v: number) => `${Number(v.toFixed(4))}%`;
  return r ? { left: pct(r.x), top: pct(r.y), width: pct(r.w), height: pct(r.h) } : null;
}
