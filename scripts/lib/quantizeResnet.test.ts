/** The arithmetic of the int8 writer and of calibration, on small numbers a person can check. */
import { describe, expect, it } from 'vitest';
import { bestClip } from './calibrateInt8';
import { quantizeWeights, uint8Params } from './quantizeResnet';

describe('int8 quantisation', () => {
  it('gives uint8 parameters that hold 0 exactly, with zero point 0 after a Relu', () => {
    expect(uint8Params([0, 25.5])).toEqual({ scale: Math.fround(0.1), zeroPoint: 0 });
    const signed = uint8Params([-10, 15.5]);
    expect(signed.scale).toBeCloseTo(0.1, 6);
    expect(signed.zeroPoint).toBe(100);
    // A range that misses 0 is widened to include it.
    expect(uint8Params([2, 10.2]).zeroPoint).toBe(0);
  });

  it('quantises weights symmetrically per output channel', () => {
    const { q, scales } = quantizeWeights(Float32Array.from([1, -0.5, 0.25, 0, 0.03, -0.04]), 2);
    expect([...scales]).toEqual([Math.fround(1 / 127), Math.fround(0.04 / 127)]);
    expect([...q]).toEqual([127, -64, 32, 0, 95, -127]);
  });

  it('clips a long thin tail when that lowers the expected error, and keeps a compact range whole', () => {
    const tail = new Float64Array(2048);
    tail.fill(10_000, 0, 100); // a million values below 5 % of the maximum…
    tail[2047] = 1; // …one outlier at the maximum
    const [lo, hi] = bestClip(tail, 0, 100);
    expect(lo).toBe(0);
    expect(hi).toBeLessThan(60); // the outlier is clipped (its error is cheaper than coarser steps for the million)…
    expect(hi).toBeGreaterThan(5); // …and the bulk is not
    const flat = new Float64Array(2048).fill(10);
    const [flatLo, flatHi] = bestClip(flat, -50, 50);
    expect(flatLo).toBeLessThan(-49);
    expect(flatHi).toBeGreaterThan(49);
  });
});
