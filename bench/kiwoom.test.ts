import { describe, expect, it } from 'vitest';
import { decodeServerFrame } from '../server/brokers/kiwoom/codec';
import { buildFrames, measure } from './kiwoom';

describe('kiwoom bench (tiny load, correctness only)', () => {
  it('builds REAL frames with the asked number of items, and every path sees every item', () => {
    const { frames } = buildFrames(50, 3);
    expect(frames).toHaveLength(50);
    for (const text of frames) {
      const frame = decodeServerFrame(text);
      expect(frame.trnm === 'REAL' && frame.data.length).toBe(3);
    }
    const results = measure(frames, 1);
    expect(results.map((r) => r.path)).toEqual(['JSON.parse', 'decode (codec)', 'decode + normalize']);
    // Same items per frame on every path: normalize drops nothing the engine produced.
    for (const r of results) expect(r.itemsPerSec / r.framesPerSec).toBeCloseTo(3, 5);
  });
});
