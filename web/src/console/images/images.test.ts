import { COVER_ASPECT, SQUARE_ASPECT, cropStyle, fromCrop, largestCentred, moveBy, resizeTo, toCrop } from './crop';
import { precheck } from './upload-queue';
import { NormalisedCropSchema } from '@farmlive/shared';

describe('crop regions', () => {
  const [W, H] = [1500, 1000];

  it('starts from the largest centred region of each shape', () => {
    expect(largestCentred(W, H, COVER_ASPECT)).toEqual({ x: 0, y: (H - W / COVER_ASPECT) / 2, w: W, h: W / COVER_ASPECT });
    expect(largestCentred(W, H, SQUARE_ASPECT)).toEqual({ x: 250, y: 0, w: 1000, h: 1000 });
  });

  it('moves within the photo and stops at its edges', () => {
    const r = largestCentred(W, H, SQUARE_ASPECT);
    expect(moveBy(r, -1000, 0, W, H)).toMatchObject({ x: 0, y: 0 });
    expect(moveBy(r, 400, 50, W, H)).toMatchObject({ x: 500, y: 0 });
  });

  it('resizes keeping the shape, never beyond the photo or below a tenth of it', () => {
    const r = largestCentred(W, H, COVER_ASPECT);
    const small = resizeTo(r, 10, COVER_ASPECT, W, H);
    expect(small.w / small.h).toBeCloseTo(COVER_ASPECT, 6);
    expect(small.h).toBeGreaterThanOrEqual(99.9);
    const big = resizeTo({ x: 600, y: 500, w: 470, h: 200 }, 5000, COVER_ASPECT, W, H);
    expect(big.x + big.w).toBeLessThanOrEqual(W + 1e-9);
    expect(big.y + big.h).toBeLessThanOrEqual(H + 1e-9);
    expect(big.w / big.h).toBeCloseTo(COVER_ASPECT, 6);
    const centred = resizeTo({ x: 500, y: 250, w: 500, h: 500 }, 400, SQUARE_ASPECT, W, H, 'centre');
    expect(centred).toEqual({ x: 550, y: 300, w: 400, h: 400 });
  });

  it('writes what the upload accepts (x1_y1_x2_y2) and reads it back', () => {
    const r = moveBy(resizeTo(largestCentred(W, H, COVER_ASPECT), 900, COVER_ASPECT, W, H, 'centre'), 37, 41, W, H);
    const crop = toCrop(r, W, H);
    expect(NormalisedCropSchema.safeParse(crop).success).toBe(true);
    const back = fromCrop(crop, W, H)!;
    expect(Math.abs(back.x - r.x) + Math.abs(back.y - r.y) + Math.abs(back.w - r.w)).toBeLessThan(0.01);
    expect(fromCrop('0.5_0.2_0.4_0.9', W, H)).toBeNull();
    expect(fromCrop('0_0_1', W, H)).toBeNull();
    expect(cropStyle('0.1_0.2_0.6_0.7')).toEqual({ left: '10%', top: '20%', width: '50%', height: '50%' });
  });
});

describe('upload precheck', () => {
  const limits = { maxUploadBytes: 3_000_000 };

  it('refuses in the page what cannot succeed: empty, too large, not an accepted image type', () => {
    expect(precheck({ size: 0, type: 'image/jpeg' }, limits)).toEqual({ code: 'IMAGE_CORRUPT' });
    expect(precheck({ size: 3_000_001, type: 'image/jpeg' }, limits)).toEqual({ code: 'IMAGE_TOO_LARGE', details: { bytes: 3_000_001, maxBytes: 3_000_000 } });
    expect(precheck({ size: 10, type: 'image/heic' }, limits)).toEqual({ code: 'IMAGE_UNSUPPORTED_TYPE', details: { type: 'image/heic' } });
    expect(precheck({ size: 10, type: 'image/svg+xml' }, limits)?.code).toBe('IMAGE_UNSUPPORTED_TYPE');
  });

  it('leaves the rest to the server, which reads the bytes', () => {
    expect(precheck({ size: 3_000_000, type: 'image/jpeg' }, limits)).toBeNull();
    expect(precheck({ size: 10, type: '' }, limits)).toBeNull();
    expect(precheck({ size: 10, type: 'IMAGE/PNG' }, limits)).toBeNull();
    // Limits not loaded yet: the server's own limit still applies.
    expect(precheck({ size: 900_000_000, type: 'image/jpeg' }, null)).toBeNull();
  });
});
