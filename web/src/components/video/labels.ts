import type { ViewerQuality } from '../../media';

/**
 * The picture's layer as a person names it: the simulcast layer the server sends (0 low, 1 SD,
 * 2 HD). A one-layer stream has none; then the level (smooth, fair, choppy) says it all.
 */
export function layerKey(q: Pick<ViewerQuality, 'level' | 'spatialLayer'>): '0' | '1' | '2' | null {
  if (q.level === 'audio-only' || q.level === 'waiting' || q.spatialLayer === null) return null;
  return String(Math.max(0, Math.min(2, q.spatialLayer))) as '0' | '1' | '2';
}

/** The send rate a host sees, rounded to what matters (tens of kbit/s). */
export const roundKbps = (kbps: number): number => (kbps < 100 ? Math.round(kbps) : Math.round(kbps / 10) * 10);
