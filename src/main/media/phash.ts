/** 64-bit DCT perceptual hash: survives rescaling and recompression, so another scan of the same artwork matches. */

export const PHASH_SIZE = 32;
const KEEP = 8;

const cosines: Float64Array = (() => {
  const table = new Float64Array(PHASH_SIZE * KEEP);
  for (let k = 0; k < KEEP; k++) {
    for (let n = 0; n < PHASH_SIZE; n++) {
      table[k * PHASH_SIZE + n] = Math.cos((Math.PI / PHASH_SIZE) * (n + 0.5) * k);
    }
  }
  return table;
})();

/**
 * Box-filters interleaved 8-bit pixels (1–4 channels) down to PHASH_SIZE² luma values. Done in
 * JavaScript on the already-decoded thumbnail: cheaper than another sharp pipeline per image.
 */
export function greyGrid(data: Uint8Array, width: number, height: number, channels: number): Float64Array {
  const sums = new Float64Array(PHASH_SIZE * PHASH_SIZE);
  const counts = new Uint32Array(PHASH_SIZE * PHASH_SIZE);
  const colour = channels >= 3;
  for (let y = 0; y < height; y++) {
    const row = ((y * PHASH_SIZE) / height) | 0;
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * channels;
      const luma = colour ? 0.299 * (data[p] ?? 0) + 0.587 * (data[p + 1] ?? 0) + 0.114 * (data[p + 2] ?? 0) : (data[p] ?? 0);
      const cell = row * PHASH_SIZE + (((x * PHASH_SIZE) / width) | 0);
      sums[cell] = (sums[cell] ?? 0) + luma;
      counts[cell] = (counts[cell] ?? 0) + 1;
    }
  }
  for (let i = 0; i < sums.length; i++) sums[i] = (sums[i] ?? 0) / Math.max(1, counts[i] ?? 1);
  return sums;
}

/** `grey` is PHASH_SIZE×PHASH_SIZE luma values, row-major. Returns 16 hex digits. */
export function phashFromGrey(grey: ArrayLike<number>): string {
  if (grey.length !== PHASH_SIZE * PHASH_SIZE) throw new Error(`phash needs ${PHASH_SIZE}² pixels, got ${grey.length}`);
  // Separable DCT-II, keeping only the lowest KEEP frequencies in each direction.
  const rows = new Float64Array(PHASH_SIZE * KEEP);
  for (let y = 0; y < PHASH_SIZE; y++) {
    for (let k = 0; k < KEEP; k++) {
      let sum = 0;
      for (let x = 0; x < PHASH_SIZE; x++) sum += (grey[y * PHASH_SIZE + x] ?? 0) * (cosines[k * PHASH_SIZE + x] ?? 0);
      rows[y * KEEP + k] = sum;
    }
  }
  const coeffs = new Float64Array(KEEP * KEEP);
  for (let v = 0; v < KEEP; v++) {
    for (let u = 0; u < KEEP; u++) {
      let sum = 0;
      for (let y = 0; y < PHASH_SIZE; y++) sum += (rows[y * KEEP + u] ?? 0) * (cosines[v * PHASH_SIZE + y] ?? 0);
      coeffs[v * KEEP + u] = sum;
    }
  }
  // The DC term says only how bright the image is: leave it out of the median.
  const median = [...coeffs.subarray(1)].sort((a, b) => a - b)[(KEEP * KEEP - 1) >> 1] ?? 0;
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let value = 0;
    for (let bit = 0; bit < 4; bit++) value = (value << 1) | ((coeffs[nibble * 4 + bit] ?? 0) > median ? 1 : 0);
    hex += value.toString(16);
  }
  return hex;
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function hammingDistance(a: string, b: string): number {
  return popcount32(parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) + popcount32(parseInt(a.slice(8, 16), 16) ^ parseInt(b.slice(8, 16), 16));
}

/**
 * Finds the first earlier hash within `maxDistance` bits. Hashes are kept as two 32-bit halves in
 * growable typed arrays, so a lookup over 100,000 posters is a tight loop, not 100,000 string ops.
 */
export class PhashIndex<T> {
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  private readonly refs: T[] = [];

  constructor(private readonly maxDistance: number) {}

  get size(): number {
    return this.refs.length;
  }

  add(hash: string, ref: T): void {
    const n = this.refs.length;
    if (n === this.hi.length) {
      const hi = new Uint32Array(n * 2);
      const lo = new Uint32Array(n * 2);
      hi.set(this.hi);
      lo.set(this.lo);
      this.hi = hi;
      this.lo = lo;
    }
    this.hi[n] = parseInt(hash.slice(0, 8), 16);
    this.lo[n] = parseInt(hash.slice(8, 16), 16);
    this.refs.push(ref);
  }

  nearest(hash: string): { ref: T; distance: number } | null {
    const qh = parseInt(hash.slice(0, 8), 16);
    const ql = parseInt(hash.slice(8, 16), 16);
    let best = -1;
    let bestDistance = this.maxDistance + 1;
    for (let i = 0; i < this.refs.length; i++) {
      const d = popcount32((this.hi[i] ?? 0) ^ qh) + popcount32((this.lo[i] ?? 0) ^ ql);
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
        if (d === 0) break;
      }
    }
    return best < 0 ? null : { ref: this.refs[best] as T, distance: bestDistance };
  }
}
