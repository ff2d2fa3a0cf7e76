/** Crop geometry: pixel boxes and WeChat's normalised `x1_y1_x2_y2` strings. No sharp here. */

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The shapes WeChat asks for: the feed's 2.35:1 cover and the square of share cards. */
export const COVER_ASPECT = 2.35;
export const SQUARE_ASPECT = 1;

/** How far an editor's crop may stray from the required shape before it is refused (rounding in a browser's cropper). */
export const CROP_ASPECT_TOLERANCE = 0.03;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The largest box of `aspect` (width / height) that fits in `width` x `height`, centred on `focus` as far as the edges allow. */
export function boxAround(width: number, height: number, aspect: number, focus = { x: width / 2, y: height / 2 }): Box {
  const w = width / height > aspect ? Math.max(1, Math.round(height * aspect)) : width;
  const h = width / height > aspect ? height : Math.max(1, Math.round(width / aspect));
  return {
    left: clamp(Math.round(focus.x - w / 2), 0, width - w),
    top: clamp(Math.round(focus.y - h / 2), 0, height - h),
    width: w,
    height: h,
  };
}

const fraction = (v: number) => String(Number(v.toFixed(6)));

/** `box` within a `width` x `height` image as WeChat's `x1_y1_x2_y2`. */
export function toNormalised(box: Box, width: number, height: number): string {
  return [box.left / width, box.top / height, (box.left + box.width) / width, (box.top + box.height) / height].map(fraction).join('_');
}

/** The pixel box a normalised crop names in a `width` x `height` image (at least one pixel each way). */
export function fromNormalised(crop: string, width: number, height: number): Box {
  const [x1, y1, x2, y2] = crop.split('_').map(Number) as [number, number, number, number];
  const left = clamp(Math.round(x1 * width), 0, width - 1);
  const top = clamp(Math.round(y1 * height), 0, height - 1);
  return {
    left,
    top,
    width: clamp(Math.round(x2 * width) - left, 1, width - left),
    height: clamp(Math.round(y2 * height) - top, 1, height - top),
  };
}

/**
 * An editor's box brought to exactly `aspect` by trimming the longer side about its centre,
 * or null when its shape is off by more than the tolerance (then it was not meant for this shape).
 */
export function snapToAspect(box: Box, aspect: number, tolerance = CROP_ASPECT_TOLERANCE): Box | null {
  const actual = box.width / box.height;
  if (Math.abs(actual / aspect - 1) > tolerance) return null;
  const inner = boxAround(box.width, box.height, aspect);
  return { left: box.left + inner.left, top: box.top + inner.top, width: inner.width, height: inner.height };
}

/** `box` from an image of `from` size to the same region of an image of `to` size (a scaled copy). */
export function scaleBox(box: Box, from: { width: number; height: number }, to: { width: number; height: number }): Box {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  const left = clamp(Math.round(box.left * sx), 0, to.width - 1);
  const top = clamp(Math.round(box.top * sy), 0, to.height - 1);
  return {
    left,
    top,
    width: clamp(Math.round(box.width * sx), 1, to.width - left),
    height: clamp(Math.round(box.height * sy), 1, to.height - top),
  };
}
