/**
 * Capture-to-render latency, measured in the browser. The host publishes a canvas that shows the
 * wall-clock time (ms) at the moment it is drawn, as 40 black or white blocks (32 bits of the
 * time and an 8-bit check). The viewer, for each frame it presents
 * (`requestVideoFrameCallback`), reads the blocks back and subtracts the drawn time from the
 * frame's expected display time. Both pages run in one browser on one machine, so they share a
 * clock. The result includes drawing and capture, encoding, the network, the SFU, the jitter
 * buffer, decoding and compositing; it is accurate to about one frame (33 ms at 30 fps).
 */
const COLS = 8;
const ROWS = 5;
const W = 640;
const H = 480;

const wallNow = () => performance.timeOrigin + performance.now();

const checksum = (v: number) => ((v >>> 24) ^ (v >>> 16) ^ (v >>> 8) ^ v) & 0xff;

/** A 640x480, 30 fps stream whose picture encodes the time it was drawn. */
export function timestampCanvasStream(): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d')!;
  const draw = () => {
    const t = Math.floor(wallNow()) >>> 0;
    const bits = [...Array(32)].map((_, i) => (t >>> (31 - i)) & 1).concat([...Array(8)].map((_, i) => (checksum(t) >>> (7 - i)) & 1));
    bits.forEach((b, i) => {
      ctx.fillStyle = b ? '#fff' : '#000';
      ctx.fillRect((i % COLS) * (W / COLS), Math.floor(i / COLS) * (H / ROWS), W / COLS, H / ROWS);
    });
  };
  draw();
  setInterval(draw, 1000 / 30);
  return canvas.captureStream(30);
}

/** Latencies (ms) of the frames presented in `video` during `durationMs`; unreadable frames are skipped. */
export function measureLatency(video: HTMLVideoElement, durationMs: number): Promise<number[]> {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const samples: number[] = [];
  const end = wallNow() + durationMs;
  return new Promise((resolve) => {
    const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
      const shownAt = performance.timeOrigin + meta.expectedDisplayTime;
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      ctx.drawImage(video, 0, 0);
      const bits: number[] = [];
      for (let i = 0; i < COLS * ROWS; i++) {
        const x = Math.floor(((i % COLS) + 0.5) * (canvas.width / COLS));
        const y = Math.floor((Math.floor(i / COLS) + 0.5) * (canvas.height / ROWS));
        const [r, g, b] = ctx.getImageData(x, y, 1, 1).data;
        bits.push((r! + g! + b!) / 3 > 128 ? 1 : 0);
      }
      const t = bits.slice(0, 32).reduce((v, bit) => ((v << 1) | bit) >>> 0, 0);
      const check = bits.slice(32).reduce((v, bit) => (v << 1) | bit, 0);
      if (check === checksum(t)) {
        // The time wrapped in 32 bits: put it back next to now.
        const full = Math.floor(shownAt / 2 ** 32) * 2 ** 32 + t;
        samples.push(shownAt - (full > shownAt + 2 ** 31 ? full - 2 ** 32 : full));
      }
      if (wallNow() < end) video.requestVideoFrameCallback(onFrame);
      else resolve(samples);
    };
    video.requestVideoFrameCallback(onFrame);
  });
}
