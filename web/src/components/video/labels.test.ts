import { layerKey, roundKbps } from './labels';

describe('video labels', () => {
  it('names the simulcast layer a viewer receives, clamped to the three the host sends', () => {
    expect(layerKey({ level: 'good', spatialLayer: 0 })).toBe('0');
    expect(layerKey({ level: 'fair', spatialLayer: 1 })).toBe('1');
    expect(layerKey({ level: 'good', spatialLayer: 2 })).toBe('2');
    expect(layerKey({ level: 'good', spatialLayer: 5 })).toBe('2');
  });

  it('names no layer for sound only, while waiting, or for a one-layer stream', () => {
    expect(layerKey({ level: 'audio-only', spatialLayer: 1 })).toBeNull();
    expect(layerKey({ level: 'waiting', spatialLayer: null })).toBeNull();
    expect(layerKey({ level: 'poor', spatialLayer: null })).toBeNull();
  });

  it('rounds the host’s bitrate to tens above 100 kbit/s', () => {
    expect(roundKbps(0)).toBe(0);
    expect(roundKbps(42.4)).toBe(42);
    expect(roundKbps(826)).toBe(830);
    expect(roundKbps(1_234)).toBe(1_230);
  });
});
