/**
 * Finds the poster sheet in a vendor's scan: the sheet lies on a scanner bed or a table, so the
 * file has a near-uniform margin around a poster that is a few degrees off square. Works on the
 * thumbnail-size pixels the import has already decoded (no second decode), in plain arithmetic:
 *
 *  1. the margin's colour and noise from the outer ring of the image; no margin (the ring is not
 *     near-uniform on all four sides) means the scan is left untouched;
 *  2. per row and per column, the first and last pixel that differs from the margin, on the scan
 *     averaged over a few pixels along the side (the bed's grain averages out, a straight edge does
 *     not): first just above that averaged grain, then, if no square sheet comes of it, well above
 *     a single pixel's grain;
 *  3. a straight line fitted (least squares, outliers dropped) to each of the four sides, away from
 *     the corners; the skew is their agreed angle and the box is where they meet;
 *  4. a sheet square to the scan is cut out only where its margin looks like a bed (flat, or grainy)
 *     and not like a frame that is part of the file (a texture of its own, a digital white surround,
 *     the poster's own paper).
 *
 * sharp's `trim` was tried first: it gives the axis-aligned bounding box of a sheet, which for a
 * sheet skewed by 3° includes triangles of bed along every side, and it says nothing of the angle,
 * so it cannot replace step 3; sharp's `rotate` and `extract` apply what is found (media.ts).
 */
import type { CropBox } from '../../shared/types';

type Rgb = [number, number, number];

/** Where the poster is; the frame is described with the type (src/shared/types.ts). */
export type { CropBox };

export interface Detection {
  /** null: no margin found; the scan is used whole. */
  crop: CropBox | null;
  /** The margin's mean colour (RGB, 0–255), when there is one: for a white balance from the bed. */
  margin: [number, number, number] | null;
  /** Why there is no crop, for tests and measurements. */
  reason: string;
}

/** Below this skew the poster is only cropped, not rotated: rotating resamples every pixel. */
export const MIN_ROTATION_DEGREES = 0.5;
/** A margin thinner than this (fraction of the side) on every side, with no skew, is no margin. */
const MIN_MARGIN = 0.008;
const MAX_SKEW_DEGREES = 8;
/** The sides are looked for on the scan averaged over 2·ALONG_SIDE+1 px along them. */
const ALONG_SIDE = 5;
/** Colour distance (sum over R, G, B) from the bed that counts as the sheet: fine, then coarse. */
const FINE_THRESHOLD = 6;
const COARSE_THRESHOLD = 18;
/** Sides further apart than this (degrees) at the fine threshold send the search to the coarse one. */
const SIDES_AGREE_DEGREES = 0.5;
/** A sheet skewed more than this was laid on a bed by hand: a frame of the file is square. */
const BED_SKEW_DEGREES = 1;
/**
 * A flat margin: a pixel's mean distance (|ΔR| + |ΔG| + |ΔB|) from its side's colour below this. A
 * bed is flat at thumbnail size where the scanner's noise is smoothed away (0–1.2 on the measured
 * grain-less scans) or averaged away by the downscale (0.8–2.1 with a 2,400 px sheet, the rest
 * left to the grain test); a frame of the file carries its source's texture (median 3.7 on the
 * clean files' frames; of the 25 under 2, 22 are digital white or black, kept by `atLimit`).
 */
const FLAT_MARGIN = 2;
/**
 * A margin flat in brightness (its mean distance 3·|ΔY| below this) is flat too: beside a small
 * sheet the JPEG's colour ringing (chroma at half resolution, 16 px blocks) runs along the whole
 * side of a flat bed (0–2.1 in brightness on grain-less scans of 245–385 px sheets), while the
 * clean files' frames that are flat in brightness are flat in colour too, or digital white.
 */
const FLAT_BRIGHTNESS = 1.5;
/**
 * A grainy margin: averaged along the sides, its mean distance from its side's colour falls below
 * this fraction of a single pixel's (0.30–0.58 on the measured scans with grain; 0.49–0.81 on
 * no-margin scans of posters with a frame of their own, median 0.87 on the clean files' frames).
 */
const GRAIN_RATIO = 0.65;
/**
 * A margin this near paper white (or black) in two channels of three is a digital surround, grainy
 * or not, lamp or not: under the warm lamp a white surround is (255, 255, 214). Read on the ring's
 * upper (lower) quartile, not its median: a scanner's grain on a clipped surround is clipped on
 * one side only, and the JPEG's smoothing then pulls the median a few levels off the limit ((252,
 * 252, 252) for a white surround with no lamp, (3, 3, 3) for a black one), while a quarter of the
 * ring stays at it (docs/measurements.md, issue 17, session 15). Of the no-margin scans of 2,000
 * posters, 21 of the 53 frames that were being cut are such a surround (13 of 27 without grain).
 * None of the 681 sheets found square (skew ≤ 0.5°) among 4,000 scans, with grain and without,
 * lay on such a bed (the measured beds are 236 or darker). A lid white enough to be clipped in two
 * channels is left whole, as it already was when flat and clipped in all three.
 */
const AT_LIMIT = 253;
/**
 * A margin that is the poster's own paper: at the limit in one channel at least (AT_LIMIT), at
 * least PAPER_SHARE of the sheet found inside it within its colour, and at most BRIGHTER_SHARE
 * brighter. Under a lamp that tints each channel (the cool one turns a white surround into about
 * (234, 249, 254)) a digital surround is at the limit in one channel only, but it is still the
 * poster's white: the paper and lettering inside it are the same colour, and nothing is brighter.
 * A bed is not the poster's paper: where a poster shows the bed's colour, something in it is
 * brighter. Of 894 sheets found square on the generated beds none had 2% of the bed's colour
 * inside with under 8% brighter; of the no-margin scans' frames still cut, 12 of 32 are white
 * surrounds with 2.6–55% and at most 1% (docs/measurements.md, issue 17, session 15). A lid
 * within a few levels of a poster's white, square to the scan, is left whole: by colour it is one.
 */
const PAPER_SHARE = 0.02;
const BRIGHTER_SHARE = 0.02;
/** Colour distance (|ΔR| + |ΔG| + |ΔB|) within which a pixel is the margin's colour: this, or twice the margin's noise. */
const PAPER_TOLERANCE = 9;
const TOO_THIN = 'the margin is too thin to crop';

interface Pixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? 0;
};

/** A line x = a + b·t (or y = a + b·t) through edge points, fitted with outliers dropped. */
interface Line {
  a: number;
  b: number;
  inliers: number;
  points: number;
}

function fitLine(ts: number[], vs: number[]): Line | null {
  let keep = ts.map((_, i) => i);
  let a = 0;
  let b = 0;
  for (let round = 0; round < 5; round++) {
    if (keep.length < 8) return null;
    let [st, sv, stt, stv] = [0, 0, 0, 0];
    for (const i of keep) {
      const t = ts[i] as number;
      const v = vs[i] as number;
      st += t;
      sv += v;
      stt += t * t;
      stv += t * v;
    }
    const n = keep.length;
    const den = n * stt - st * st;
    if (den === 0) return null;
    b = (n * stv - st * sv) / den;
    a = (sv - b * st) / n;
    // Residuals beyond 1.5 px (or three times their median) are speckles or artwork, not the edge.
    const residuals = ts.map((t, i) => Math.abs((vs[i] as number) - (a + b * t)));
    const limit = Math.max(1.5, 3 * median(keep.map((i) => residuals[i] as number)));
    keep = ts.map((_, i) => i).filter((i) => (residuals[i] as number) <= limit);
  }
  return { a, b, inliers: keep.length, points: ts.length };
}

/**
 * The scan's outer ring (a band of about 0.6% of the shorter side) per side (left, right, top,
 * bottom), each side's median colour, and their median: the margin's colour when there is one.
 */
function outerRing(image: Pixels): { sides: [number, number][][]; medians: Rgb[]; bg: Rgb } {
  const { data, width: w, height: h, channels } = image;
  const colour = channels >= 3;
  const at = (x: number, y: number, k: number): number => data[(y * w + x) * channels + (colour ? k : 0)] as number;
  const ring = Math.max(1, Math.round(Math.min(w, h) * 0.006));
  const sides: [number, number][][] = [[], [], [], []];
  for (let y = 0; y < h; y++) {
    for (let d = 0; d < ring; d++) {
      sides[0]?.push([d, y]);
      sides[1]?.push([w - 1 - d, y]);
    }
  }
  for (let x = 0; x < w; x++) {
    for (let d = 0; d < ring; d++) {
      sides[2]?.push([x, d]);
      sides[3]?.push([x, h - 1 - d]);
    }
  }
  const medians = sides.map((points) => [0, 1, 2].map((k) => median(points.map(([x, y]) => at(x, y, k)))) as Rgb);
  const bg = [0, 1, 2].map((k) => median(medians.map((m) => m[k] as number))) as Rgb;
  return { sides, medians, bg };
}

/**
 * The colour of the bed around a poster cut from this scan (by detection or by staff): the outer
 * ring's, when its four sides agree on one; null when they do not (no bed to read the lamp from).
 */
export function bedColour(image: Pixels): Rgb | null {
  if (image.width < 32 || image.height < 32 || image.channels < 3) return null;
  const { medians, bg } = outerRing(image);
  return sidesAgree(medians, bg) ? bg : null;
}

/** Every side's median colour within 30 levels (|ΔR| + |ΔG| + |ΔB|) of the margin's. */
const sidesAgree = (medians: Rgb[], bg: Rgb): boolean => medians.every((m) => Math.abs(m[0] - bg[0]) + Math.abs(m[1] - bg[1]) + Math.abs(m[2] - bg[2]) <= 30);

/**
 * The margin's texture: per side of the outer ring, each pixel's distance (|ΔR| + |ΔG| + |ΔB|) from
 * that side's median colour, single (`raw`) and averaged over 2·ALONG_SIDE+1 pixels along the side
 * (`along`); and the single pixel's distance in brightness alone (`luma`: 3·|ΔY|, Y = (R + 2G + B)/4,
 * in the same units), which a JPEG's colour ringing beside a small sheet leaves flat. Means over the
 * ring. Against each side's own colour, so that a lamp lighting one side of the bed a level brighter
 * is not taken for texture.
 */
function marginTexture(image: Pixels, sides: [number, number][][], medians: Rgb[]): { raw: number; along: number; luma: number } {
  const { data, width: w, height: h, channels } = image;
  const colour = channels >= 3;
  const at = (x: number, y: number, k: number): number => data[(y * w + x) * channels + (colour ? k : 0)] as number;
  let raw = 0;
  let along = 0;
  let luma = 0;
  let n = 0;
  sides.forEach((points, side) => {
    // Left and right run down the scan, top and bottom across it.
    const vertical = side < 2;
    const length = vertical ? h : w;
    const ref = medians[side] as Rgb;
    const refY = (ref[0] + 2 * ref[1] + ref[2]) / 4;
    for (const [x, y] of points) {
      const t = vertical ? y : x;
      const lo = Math.max(0, t - ALONG_SIDE);
      const hi = Math.min(length - 1, t + ALONG_SIDE);
      for (let k = 0; k < 3; k++) {
        let sum = 0;
        for (let u = lo; u <= hi; u++) sum += vertical ? at(x, u, k) : at(u, y, k);
        raw += Math.abs(at(x, y, k) - (ref[k] as number));
        along += Math.abs(sum / (hi - lo + 1) - (ref[k] as number));
      }
      luma += 3 * Math.abs((at(x, y, 0) + 2 * at(x, y, 1) + at(x, y, 2)) / 4 - refY);
      n++;
    }
  });
  const count = Math.max(1, n);
  return { raw: raw / count, along: along / count, luma: luma / count };
}

/** Finds the poster in thumbnail-size pixels (1–4 channels, 8-bit, interleaved). */
export function findPoster(image: Pixels): Detection {
  const { data, width: w, height: h, channels } = image;
  const none = (reason: string, margin: [number, number, number] | null = null): Detection => ({ crop: null, margin, reason });
  if (w < 32 || h < 32) return none('too small to look for a margin');
  const colour = channels >= 3;
  const at = (x: number, y: number, k: number): number => data[(y * w + x) * channels + (colour ? k : 0)] as number;

  // 1. The margin: the outer ring, side by side. Every side must be near-uniform and alike.
  const { sides, medians, bg } = outerRing(image);
  const distance = (x: number, y: number): number => Math.abs(at(x, y, 0) - bg[0]) + Math.abs(at(x, y, 1) - bg[1]) + Math.abs(at(x, y, 2) - bg[2]);
  if (!sidesAgree(medians, bg)) return none('the edges of the scan differ: no margin');
  const ringDistances = sides.flat().map(([x, y]) => distance(x, y));
  const spread = median(ringDistances);
  const uniform = ringDistances.filter((d) => d <= Math.max(24, 4 * spread)).length / ringDistances.length;
  if (uniform < 0.9) return none('the edges of the scan are not near-uniform: no margin');
  // The sides are found on the scan averaged along them (rows over a few rows for the left and
  // right sides, columns over a few columns for top and bottom): the bed's grain averages out, a
  // sheet's edge does not (over 2·R+1 px a 3° edge moves by a quarter of a pixel), so a pale sheet
  // on a pale bed, or a dark one on a black cloth, still stands out of it.
  // Distance from the bed of the scan averaged over 2·ALONG_SIDE+1 rows (for the left and right
  // sides) and over as many columns (for top and bottom), per pixel.
  const alongY = smoothedDistance(image, bg, 'vertical');
  const alongX = smoothedDistance(image, bg, 'horizontal');
  const blurredDistance = (map: Float32Array, x: number, y: number): number => map[y * w + x] as number;
  const blurredSpread = median([
    ...[...(sides[0] ?? []), ...(sides[1] ?? [])].map(([x, y]) => blurredDistance(alongY, x, y)),
    ...[...(sides[2] ?? []), ...(sides[3] ?? [])].map(([x, y]) => blurredDistance(alongX, x, y)),
  ]);
  // Measured only for a sheet square to the scan, once (see the end of sheetAt).
  let texture: { raw: number; along: number; luma: number } | null = null;
  let quartiles: { high: Rgb; low: Rgb } | null = null;
  // Differs from the margin: first just above the bed's averaged grain, which finds a pale sheet
  // on a pale bed; where that finds no square sheet (a JPEG's blocks in a dark bed can pass for an
  // edge), again well above the grain and the JPEG's ringing, as a single pixel would need.
  const noise = 5 * blurredSpread;
  const fine = sheetAt(Math.max(FINE_THRESHOLD, noise));
  // Sides that disagree on the skew were partly fitted to something else than the sheet's edge:
  // beside a small sheet, the JPEG's colour ringing passes the fine threshold. The coarse one
  // is tried, and kept where its sides agree better.
  const detection = ({ crop, margin, reason }: Detection): Detection => ({ crop, margin, reason });
  if (fine.crop && fine.spread > SIDES_AGREE_DEGREES) {
    const coarse = sheetAt(Math.max(COARSE_THRESHOLD, noise));
    return detection(coarse.crop && coarse.spread < fine.spread ? coarse : fine);
  }
  // A square sheet that fills the scan is an answer too: no margin, nothing to look for further.
  if (fine.crop || fine.reason === TOO_THIN) return detection(fine);
  return detection(sheetAt(Math.max(COARSE_THRESHOLD, noise)));

  /** `spread`: how far the four sides' angles are apart, degrees (0 where no sheet was found). */
  function sheetAt(threshold: number): Detection & { spread: number } {
    const noSheet = (reason: string): Detection & { spread: number } => ({ ...none(reason, bg), spread: 0 });
    // 2. Per row the first and last pixel that differs (two in a row, so single speckles do not count).
    let blurred = alongY;
    const differs = (x: number, y: number): boolean => blurredDistance(blurred, x, y) > threshold;
    // The edge itself to a fraction of a pixel: where the difference reaches half the sheet's own,
    // between the pixel centres either side (the decoder's resampling blurs it over a pixel or two).
    const edge = (d: (k: number) => number, first: number, step: 1 | -1, n: number): number => {
      const inside = d(Math.min(n - 1, Math.max(0, first + 2 * step)));
      const half = Math.max(threshold, inside) / 2;
      for (let k = first - 2 * step; k !== first + 2 * step; k += step) {
        if (k < 0 || k >= n || k + step < 0 || k + step >= n) continue;
        const a = d(k);
        const b = d(k + step);
        if (a < half && b >= half) return k + 0.5 + (step * (half - a)) / (b - a);
      }
      return step === 1 ? first : first + 1;
    };
    const leftTs: number[] = [];
    const leftXs: number[] = [];
    const rightTs: number[] = [];
    const rightXs: number[] = [];
    for (let y = 0; y < h; y++) {
      let first = -1;
      for (let x = 0; x < w - 1; x++) {
        if (differs(x, y) && differs(x + 1, y)) {
          first = x;
          break;
        }
      }
      if (first < 0) continue;
      let last = first;
      for (let x = w - 1; x > first; x--) {
        if (differs(x, y) && differs(x - 1, y)) {
          last = x;
          break;
        }
      }
      const row = (x: number): number => blurredDistance(alongY, x, y);
      leftTs.push(y);
      leftXs.push(edge(row, first, 1, w));
      rightTs.push(y);
      rightXs.push(edge(row, last, -1, w));
    }
    blurred = alongX;
    const topTs: number[] = [];
    const topYs: number[] = [];
    const bottomTs: number[] = [];
    const bottomYs: number[] = [];
    for (let x = 0; x < w; x++) {
      let first = -1;
      for (let y = 0; y < h - 1; y++) {
        if (differs(x, y) && differs(x, y + 1)) {
          first = y;
          break;
        }
      }
      if (first < 0) continue;
      let last = first;
      for (let y = h - 1; y > first; y--) {
        if (differs(x, y) && differs(x, y - 1)) {
          last = y;
          break;
        }
      }
      const column = (y: number): number => blurredDistance(alongX, x, y);
      topTs.push(x);
      topYs.push(edge(column, first, 1, h));
      bottomTs.push(x);
      bottomYs.push(edge(column, last, -1, h));
    }
    if (leftTs.length < h * 0.3 || topTs.length < w * 0.3) return noSheet('nothing sheet-sized differs from the margin');

    // 3. Lines along the middle of each side (the corners are where a skewed sheet's sides turn).
    const middle = (ts: number[], vs: number[]): [number[], number[]] => {
      const lo = ts[0] as number;
      const hi = ts[ts.length - 1] as number;
      const span = hi - lo;
      const pick = ts.map((t, i) => [t, i] as const).filter(([t]) => t >= lo + span * 0.15 && t <= hi - span * 0.15);
      return [pick.map(([t]) => t), pick.map(([, i]) => vs[i] as number)];
    };
    const left = fitLine(...middle(leftTs, leftXs));
    const right = fitLine(...middle(rightTs, rightXs));
    const top = fitLine(...middle(topTs, topYs));
    const bottom = fitLine(...middle(bottomTs, bottomYs));
    if (!left || !right || !top || !bottom) return noSheet('the sheet has no straight sides');
    for (const line of [left, right, top, bottom]) {
      if (line.inliers < line.points * 0.5) return noSheet('the sheet has no straight sides');
    }
    // Rotating a sheet clockwise by θ tilts its top and bottom by +tan θ and its sides by −tan θ.
    const angles = [Math.atan(top.b), Math.atan(bottom.b), -Math.atan(left.b), -Math.atan(right.b)].map((r) => (r * 180) / Math.PI);
    const weights = [top.inliers, bottom.inliers, left.inliers, right.inliers];
    const spread = Math.max(...angles) - Math.min(...angles);
    if (spread > 1.5) return noSheet('the sides of the sheet are not square to each other');
    const skew = angles.reduce((s, a, i) => s + a * (weights[i] as number), 0) / weights.reduce((s, x) => s + x, 0);
    if (Math.abs(skew) > MAX_SKEW_DEGREES) return noSheet(`the sheet is skewed ${skew.toFixed(1)}°, more than a scan would be`);

    // Corners where the lines meet: x = l.a + l.b·y on the sides, y = t.a + t.b·x on top and bottom.
    const meet = (side: Line, edge: Line): [number, number] => {
      const y = (edge.a + edge.b * side.a) / (1 - edge.b * side.b);
      return [side.a + side.b * y, y];
    };
    const corners = [meet(left, top), meet(right, top), meet(right, bottom), meet(left, bottom)];
    const rotate = Math.abs(skew) > MIN_ROTATION_DEGREES;
    // Straightening turns the scan by −skew about its centre; the box is measured in that frame.
    const theta = rotate ? (-skew * Math.PI) / 180 : 0;
    const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
    const straight = corners.map(([x, y]) => {
      const dx = x - w / 2;
      const dy = y - h / 2;
      return [dx * cos - dy * sin, dx * sin + dy * cos] as const;
    });
    const [tl, tr, br, bl] = straight as [readonly [number, number], readonly [number, number], readonly [number, number], readonly [number, number]];
    // The sides' mean lines: below MIN_ROTATION_DEGREES a sliver of bed at one end of a side and of
    // poster at the other, each under 1% of the sheet.
    const x0 = (tl[0] + bl[0]) / 2;
    const x1 = (tr[0] + br[0]) / 2;
    const y0 = (tl[1] + tr[1]) / 2;
    const y1 = (bl[1] + br[1]) / 2;
    const crop: CropBox = { left: x0 / w + 0.5, top: y0 / h + 0.5, width: (x1 - x0) / w, height: (y1 - y0) / h, angle: rotate ? -skew : 0 };
    if (crop.width < 0.3 || crop.height < 0.3) return noSheet('what differs from the margin is too small to be the sheet');
    const margins = [crop.left, crop.top, 1 - crop.left - crop.width, 1 - crop.top - crop.height];
    if (!rotate && margins.every((m) => m < MIN_MARGIN)) return noSheet(TOO_THIN);
    // Evidence that the margin is a bed and not a frame that is part of the file (a surround around
    // the artwork, a poster's own background): a sheet laid by hand is skewed; a bed is flat at this
    // size (a large scan's grain averaged away) or shows grain, which averages out along a side,
    // where a frame's own variation (its source's JPEG blocks, a gradient, a texture) does not. A
    // margin at the limit of the pixel values (paper white or black in two channels of three, flat
    // or grainy) is a digital surround as web copies have, seen through a lamp that tints one
    // channel and a scanner's grain, or a lid the lamp clips: left whole, as the surround must.
    if (Math.abs(skew) <= BED_SKEW_DEGREES) {
      const { high, low } = (quartiles ??= ringQuartiles(image, sides));
      const atLimit = high.filter((c) => c >= AT_LIMIT).length >= 2 || low.filter((c) => c <= 255 - AT_LIMIT).length >= 2;
      // The texture is read only where the colour leaves the question open.
      let bedLike = false;
      if (!atLimit) {
        texture ??= marginTexture(image, sides, medians);
        const flat = texture.raw < FLAT_MARGIN || texture.luma < FLAT_BRIGHTNESS;
        bedLike = (flat || texture.along <= GRAIN_RATIO * texture.raw) && !paperOfThePoster(image, crop, bg, Math.max(PAPER_TOLERANCE, 2 * texture.raw));
      }
      if (!bedLike)
        return noSheet("square to the scan, on a margin with a texture or a white of its own, or the poster's own paper: a frame of the file, not a bed");
    }
    return { crop: clampBox(crop), margin: bg, reason: 'found', spread };
  }
}

/** Per channel, the ring's upper and lower quartile (a quarter of its pixels at or beyond). */
function ringQuartiles(image: Pixels, sides: [number, number][][]): { high: Rgb; low: Rgb } {
  const { data, width: w, channels } = image;
  const colour = channels >= 3;
  const points = sides.flat();
  const high: number[] = [];
  const low: number[] = [];
  for (let k = 0; k < 3; k++) {
    const histogram = new Uint32Array(256);
    for (const [x, y] of points) {
      const v = data[(y * w + x) * channels + (colour ? k : 0)] as number;
      histogram[v] = (histogram[v] as number) + 1;
    }
    const quarter = points.length / 4;
    let seen = 0;
    let v = 255;
    while (v > 0 && (seen += histogram[v] as number) < quarter) v--;
    high.push(v);
    seen = 0;
    v = 0;
    while (v < 255 && (seen += histogram[v] as number) < quarter) v++;
    low.push(v);
  }
  return { high: high as Rgb, low: low as Rgb };
}

/**
 * Whether the margin `bg` is the poster's own paper (PAPER_SHARE): read on the sheet found inside
 * it, 3% in from its sides (a sheet square to the scan, so the box is near enough upright). A pixel
 * within `tolerance` of the margin's colour is paper; one whose R + G + B is more than `tolerance`
 * above the margin's is brighter than it.
 */
function paperOfThePoster(image: Pixels, crop: CropBox, bg: Rgb, tolerance: number): boolean {
  const { data, width: w, height: h, channels } = image;
  if (channels < 3 || Math.max(...bg) < AT_LIMIT) return false;
  const x0 = Math.max(0, Math.floor((crop.left + 0.03 * crop.width) * w));
  const x1 = Math.min(w, Math.ceil((crop.left + 0.97 * crop.width) * w));
  const y0 = Math.max(0, Math.floor((crop.top + 0.03 * crop.height) * h));
  const y1 = Math.min(h, Math.ceil((crop.top + 0.97 * crop.height) * h));
  const bright = bg[0] + bg[1] + bg[2] + tolerance;
  let paper = 0;
  let brighter = 0;
  for (let y = y0; y < y1; y++) {
    for (let p = (y * w + x0) * channels; p < (y * w + x1) * channels; p += channels) {
      const [r, g, b] = [data[p] as number, data[p + 1] as number, data[p + 2] as number];
      if (Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) <= tolerance) paper++;
      else if (r + g + b > bright) brighter++;
    }
  }
  const n = Math.max(1, (x1 - x0) * (y1 - y0));
  return paper >= PAPER_SHARE * n && brighter <= BRIGHTER_SHARE * n;
}

/**
 * Per pixel, the distance (|ΔR| + |ΔG| + |ΔB|; grey counts three times) from `bg` of the image's
 * mean over 2·ALONG_SIDE+1 pixels (fewer at the borders) in a column (`vertical`) or a row.
 * Running sums over the pixels in memory order.
 */
function smoothedDistance(image: Pixels, bg: [number, number, number], direction: 'vertical' | 'horizontal'): Float32Array {
  const { data, width: w, height: h, channels: ch } = image;
  const out = new Float32Array(w * h);
  const r = ALONG_SIDE;
  // Grey: channel 0 stands for all three.
  const [o1, o2] = ch >= 3 ? [1, 2] : [0, 0];
  const [b0, b1, b2] = bg;
  if (direction === 'vertical') {
    // Per column, the sum of the rows in the window, moved down one row at a time.
    const sums = new Float64Array(w * 3);
    let lo = 0;
    let hi = -1;
    for (let y = 0; y < h; y++) {
      while (hi < Math.min(h - 1, y + r)) {
        hi++;
        for (let x = 0, p = hi * w * ch; x < w; x++, p += ch) {
          sums[3 * x] = (sums[3 * x] as number) + (data[p] as number);
          sums[3 * x + 1] = (sums[3 * x + 1] as number) + (data[p + o1] as number);
          sums[3 * x + 2] = (sums[3 * x + 2] as number) + (data[p + o2] as number);
        }
      }
      while (lo < y - r) {
        for (let x = 0, p = lo * w * ch; x < w; x++, p += ch) {
          sums[3 * x] = (sums[3 * x] as number) - (data[p] as number);
          sums[3 * x + 1] = (sums[3 * x + 1] as number) - (data[p + o1] as number);
          sums[3 * x + 2] = (sums[3 * x + 2] as number) - (data[p + o2] as number);
        }
        lo++;
      }
      const n = hi - lo + 1;
      for (let x = 0; x < w; x++) {
        out[y * w + x] =
          Math.abs((sums[3 * x] as number) / n - b0) + Math.abs((sums[3 * x + 1] as number) / n - b1) + Math.abs((sums[3 * x + 2] as number) / n - b2);
      }
    }
    return out;
  }
  for (let y = 0; y < h; y++) {
    const row = y * w * ch;
    let [s0, s1, s2] = [0, 0, 0];
    let lo = 0;
    let hi = -1;
    for (let x = 0; x < w; x++) {
      while (hi < x + r && hi < w - 1) {
        hi++;
        const p = row + hi * ch;
        s0 += data[p] as number;
        s1 += data[p + o1] as number;
        s2 += data[p + o2] as number;
      }
      while (lo < x - r) {
        const p = row + lo * ch;
        s0 -= data[p] as number;
        s1 -= data[p + o1] as number;
        s2 -= data[p + o2] as number;
        lo++;
      }
      const n = hi - lo + 1;
      out[y * w + x] = Math.abs(s0 / n - b0) + Math.abs(s1 / n - b1) + Math.abs(s2 / n - b2);
    }
  }
  return out;
}

/** Keeps a box (detected or drawn by staff) inside what the scan can give. */
export function clampBox(box: CropBox): CropBox {
  const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
  const angle = clamp(box.angle, -45, 45);
  const left = clamp(box.left, -0.25, 1);
  const top = clamp(box.top, -0.25, 1);
  return { left, top, width: clamp(box.width, 0.01, 1.5 - left), height: clamp(box.height, 0.01, 1.5 - top), angle };
}
