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

/**
 * The second near-duplicate cue: the poster's brightness in an 8×8 grid (block means of the same
 * grey grid the hash is made from), one byte each. The hash keeps only the sign of each low
 * frequency against their median, so on a poster with little contrast (a mostly white or mostly
 * black sheet) those signs are noise and two different posters can land within a few bits
 * (docs/measurements.md, "A second cue for near-duplicates"). The grid keeps how strong each part
 * is, and two scans of the same artwork correlate on it whatever their brightness.
 */
export const LAYOUT_SIZE = 8;

export function layoutFromGrey(grey: ArrayLike<number>): Uint8Array {
  if (grey.length !== PHASH_SIZE * PHASH_SIZE) throw new Error(`layout needs ${PHASH_SIZE}² pixels, got ${grey.length}`);
  const step = PHASH_SIZE / LAYOUT_SIZE;
  const sums = new Float64Array(LAYOUT_SIZE * LAYOUT_SIZE);
  for (let y = 0; y < PHASH_SIZE; y++) {
    for (let x = 0; x < PHASH_SIZE; x++) {
      const cell = Math.floor(y / step) * LAYOUT_SIZE + Math.floor(x / step);
      sums[cell] = (sums[cell] ?? 0) + (grey[y * PHASH_SIZE + x] ?? 0);
    }
  }
  return Uint8Array.from(sums, (s) => Math.round(s / (step * step)));
}

/**
 * Two layouts below this Pearson correlation are different posters, whatever their hashes say.
 * Re-scans of the same artwork measured 0.97 and above where the poster was found in both, 0.81
 * for one scan left whole (its sheet not found); the false pairs of different artwork among the
 * research posters 0.47–0.67, and two at 0.81 and 0.95 that the cue does not catch.
 */
export const LAYOUT_MIN_CORRELATION = 0.8;
/** A grid this flat (standard deviation in grey levels) has no layout to compare: the hash alone decides. */
const FLAT = 2;

/** Pearson correlation of two layouts; null when either is flat (a blank sheet has no layout). */
export function layoutCorrelation(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const n = a.length;
  if (n !== b.length || n === 0) throw new Error(`layouts of different sizes: ${a.length} and ${b.length}`);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] ?? 0;
    mb += b[i] ?? 0;
  }
  ma /= n;
  mb /= n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const x = (a[i] ?? 0) - ma;
    const y = (b[i] ?? 0) - mb;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  if (Math.sqrt(aa / n) < FLAT || Math.sqrt(bb / n) < FLAT) return null;
  return ab / Math.sqrt(aa * bb);
}

/**
 * Whether two posters whose hashes are near may be linked as near-duplicates: their layouts
 * correlate, or one of them has none to compare (a poster whose layout could not be made from its
 * thumbnail, import/layouts.ts) and the hash decides, as it did before; two blank sheets are alike.
 */
export function sameLayout(a: ArrayLike<number> | null | undefined, b: ArrayLike<number> | null | undefined): boolean {
  if (!a || !b || a.length !== b.length) return true;
  const r = layoutCorrelation(a, b);
  if (r === null) return layoutCorrelation(a, a) === null && layoutCorrelation(b, b) === null;
  return r >= LAYOUT_MIN_CORRELATION;
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
  private readonly layouts: (Uint8Array | null)[] = [];

  constructor(private readonly maxDistance: number) {}

  get size(): number {
    return this.refs.length;
  }

  add(hash: string, ref: T, layout: Uint8Array | null = null): void {
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
    this.layouts.push(layout);
  }

  /**
   * The nearest earlier hash within `maxDistance` bits whose poster's layout agrees with `layout`
   * (sameLayout: a hash near by chance on a low-contrast poster is not a link).
   */
  nearest(hash: string, layout: Uint8Array | null = null): { ref: T; distance: number } | null {
    const qh = parseInt(hash.slice(0, 8), 16);
    const ql = parseInt(hash.slice(8, 16), 16);
    let best = -1;
    let bestDistance = this.maxDistance + 1;
    for (let i = 0; i < this.refs.length; i++) {
      const d = popcount32((this.hi[i] ?? 0) ^ qh) + popcount32((this.lo[i] ?? 0) ^ ql);
      if (d < bestDistance && sameLayout(layout, this.layouts[i])) {
        bestDistance = d;
        best = i;
        if (d === 0) break;
      }
    }
    return best < 0 ? null : { ref: this.refs[best] as T, distance: bestDistance };
  }
}
