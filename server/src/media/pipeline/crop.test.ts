import { NormalisedCropSchema } from '@farmlive/shared';
import { boxAround, COVER_ASPECT, fromNormalised, scaleBox, snapToAspect, toNormalised } from './crop';
import { sniffImage } from './sniff';

describe('crop geometry', () => {
  it('fits the largest box of an aspect, centred on the focus as far as the edges allow', () => {
    expect(boxAround(4000, 3000, COVER_ASPECT)).toEqual({ left: 0, top: 649, width: 4000, height: 1702 });
    expect(boxAround(4000, 3000, 1, { x: 3900, y: 100 })).toEqual({ left: 1000, top: 0, width: 3000, height: 3000 });
    expect(boxAround(1000, 3000, 1, { x: 500, y: 2900 })).toEqual({ left: 0, top: 2000, width: 1000, height: 1000 });
  });

  it('writes WeChat crops that the shared schema accepts and that read back to the same pixels', () => {
    const box = { left: 0, top: 649, width: 4000, height: 1702 };
    const crop = toNormalised(box, 4000, 3000);
    expect(crop).toBe('0_0.216333_1_0.783667');
    expect(NormalisedCropSchema.safeParse(crop).success).toBe(true);
    expect(fromNormalised(crop, 4000, 3000)).toEqual(box);
    expect(toNormalised({ left: 0, top: 0, width: 7, height: 3 }, 7, 3)).toBe('0_0_1_1');
  });

  it('snaps a nearly right box to the exact shape and refuses one that is clearly wrong', () => {
    expect(snapToAspect({ left: 100, top: 100, width: 960, height: 400 }, 2.35)).toEqual({ left: 110, top: 100, width: 940, height: 400 });
    expect(snapToAspect({ left: 0, top: 0, width: 1000, height: 400 }, 2.35)).toBeNull();
    expect(snapToAspect({ left: 0, top: 0, width: 500, height: 500 }, 1)).toEqual({ left: 0, top: 0, width: 500, height: 500 });
  });

  it('scales a box between copies of an image and keeps it inside', () => {
    expect(scaleBox({ left: 1000, top: 0, width: 3000, height: 3000 }, { width: 4000, height: 3000 }, { width: 2048, height: 1536 })).toEqual({ left: 512, top: 0, width: 1536, height: 1536 });
  });

  it.each(['0_0_1', '0_0_1_1_1', '0_0_1.5_1', '-0.1_0_1_1', '0.5_0_0.4_1', '0_0_1_1 ', '1e-3_0_1_1', '0.1234567_0_1_1'])('the shared schema refuses the crop %j', (crop) => {
    expect(NormalisedCropSchema.safeParse(crop).success).toBe(false);
  });
});

describe('sniffing', () => {
  it.each([
    ['jpeg', [0xff, 0xd8, 0xff, 0xe0]],
    ['png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
    ['gif', [...Buffer.from('GIF89a')]],
    ['webp', [...Buffer.from('RIFF\0\0\0\0WEBPVP8 ')]],
    ['avif', [0, 0, 0, 28, ...Buffer.from('ftypavif\0\0\0\0avifmif1miaf')]],
  ])('knows %s by its magic bytes', (format, bytes) => {
    expect(sniffImage(Buffer.from([...bytes, ...Buffer.alloc(16)]))).toEqual({ ok: true, format });
  });

  it.each([
    ['SVG with a BOM and whitespace', '\uFEFF  <svg xmlns="http://www.w3.org/2000/svg"/>', /SVG/],
    ['SVG behind an XML declaration', '<?xml version="1.0"?><!-- x --><svg/>', /SVG/],
    ['HTML', '<!doctype html><html><script>alert(1)</script></html>', /not a supported image/],
    ['a PDF', '%PDF-1.4', /PDF/],
    ['plain text', 'hello', /not a supported image/],
  ])('refuses %s, saying why', (_label, text, reason) => {
    const sniffed = sniffImage(Buffer.from(text));
    expect(sniffed.ok).toBe(false);
    expect(!sniffed.ok && sniffed.reason).toMatch(reason);
  });
});
