/**
 * Vendor scans as a dealer receives them, made from clean posters: the sheet on a scanner bed or
 * a table (a near-uniform margin of some colour and width), a few degrees off square, the lamp's
 * colour cast, grain, JPEG compression; and the hard cases (a poster with a white border of its
 * own, a poster whose edge is the bed's colour). Every variant comes with where the sheet truly
 * is, so detection can be measured. Used by the tests (on tests/fixtures) and the measurement
 * script (on ../shared).
 */
import sharp from 'sharp';

export type Rgb = [number, number, number];

export interface ScanOptions {
  /** The sheet's height in the scan, px (its width follows the poster's aspect). */
  posterHeight: number;
  /** Bed around the sheet, as fractions of the sheet's height (0 everywhere: no margin). */
  margins: { left: number; top: number; right: number; bottom: number };
  bed: Rgb;
  /** The sheet's skew, degrees, clockwise positive. */
  angle: number;
  /** The lamp: each channel of the whole scan multiplied by this. */
  cast: Rgb;
  quality: number;
  /** A border printed on the poster itself, as a fraction of the sheet's width. */
  border?: { width: number; colour: Rgb } | undefined;
  /** Seed for the grain; 0: none. */
  grain: number;
}

export interface ScanTruth {
  width: number;
  height: number;
  /** The sheet's corners in the scan (px): top-left, top-right, bottom-right, bottom-left. */
  corners: [number, number][];
  sheetWidth: number;
  sheetHeight: number;
}

/** A small deterministic generator. */
export function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function makeScanVariant(source: Buffer, o: ScanOptions): Promise<{ jpeg: Buffer; truth: ScanTruth }> {
  const meta = await sharp(source).metadata();
  const sheetHeight = o.posterHeight;
  const sheetWidth = Math.round((sheetHeight * (meta.width ?? 2)) / (meta.height ?? 3));
  let sheet = sharp(source).removeAlpha().toColourspace('srgb');
  if (o.border) {
    const b = Math.max(1, Math.round(o.border.width * sheetWidth));
    const [r, g, bl] = o.border.colour;
    const inner = await sheet
      .resize(sheetWidth - 2 * b, sheetHeight - 2 * b, { fit: 'fill' })
      .extend({ top: b, bottom: b, left: b, right: b, background: { r, g, b: bl } })
      .raw()
      .toBuffer({ resolveWithObject: true });
    sheet = sharp(inner.data, { raw: inner.info });
  } else {
    sheet = sheet.resize(sheetWidth, sheetHeight, { fit: 'fill' });
  }
  const [br, bg, bb] = o.bed;
  const bed = { r: br, g: bg, b: bb };
  let turned = await sheet.raw().toBuffer({ resolveWithObject: true });
  if (o.angle !== 0) {
    turned = await sharp(turned.data, { raw: turned.info }).rotate(o.angle, { background: bed }).raw().toBuffer({ resolveWithObject: true });
  }
  const m = {
    left: Math.round(o.margins.left * sheetHeight),
    top: Math.round(o.margins.top * sheetHeight),
    right: Math.round(o.margins.right * sheetHeight),
    bottom: Math.round(o.margins.bottom * sheetHeight),
  };
  const { data, info } = await sharp(turned.data, { raw: turned.info })
    .extend({ ...m, background: bed })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const ch = info.channels;
  const noise = random(o.grain);
  for (let p = 0; p < data.length; p += ch) {
    // Grain: one draw per pixel, shared by its channels (luminance grain, as film and paper have).
    const grain = o.grain ? (noise() + noise() - 1) * 10 : 0;
    for (let k = 0; k < 3; k++) {
      const v = (data[p + k] as number) * (o.cast[k] as number) + grain;
      data[p + k] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
  const jpeg = await sharp(data, { raw: info }).jpeg({ quality: o.quality }).toBuffer();
  const rad = (o.angle * Math.PI) / 180;
  const [cos, sin] = [Math.cos(rad), Math.sin(rad)];
  const cx = m.left + turned.info.width / 2;
  const cy = m.top + turned.info.height / 2;
  const corners = (
    [
      [-1, -1],
      [1, -1],
      [1, 1],
      [-1, 1],
    ] as const
  ).map(([sx, sy]): [number, number] => {
    const dx = (sx * sheetWidth) / 2;
    const dy = (sy * sheetHeight) / 2;
    return [cx + dx * cos - dy * sin, cy + dx * sin + dy * cos];
  });
  return { jpeg, truth: { width: info.width, height: info.height, corners, sheetWidth, sheetHeight } };
}

/** The corners a crop box stands for, in the scan's pixels (width × height). */
export function cropCorners(
  crop: { left: number; top: number; width: number; height: number; angle: number },
  width: number,
  height: number,
): [number, number][] {
  // The box is in the frame turned by `angle` about the centre; turning back is by −angle.
  const rad = (-crop.angle * Math.PI) / 180;
  const [cos, sin] = [Math.cos(rad), Math.sin(rad)];
  const box = [
    [crop.left, crop.top],
    [crop.left + crop.width, crop.top],
    [crop.left + crop.width, crop.top + crop.height],
    [crop.left, crop.top + crop.height],
  ];
  return box.map(([u, v]): [number, number] => {
    const dx = ((u as number) - 0.5) * width;
    const dy = ((v as number) - 0.5) * height;
    return [width / 2 + dx * cos - dy * sin, height / 2 + dx * sin + dy * cos];
  });
}

/**
 * How far a crop box is from the sheet's true edges: the largest corner error, horizontally as a
 * fraction of the sheet's width and vertically of its height. No crop counts as the whole scan.
 */
export function cropError(crop: { left: number; top: number; width: number; height: number; angle: number } | null, truth: ScanTruth): number {
  const corners = cropCorners(crop ?? { left: 0, top: 0, width: 1, height: 1, angle: 0 }, truth.width, truth.height);
  let worst = 0;
  corners.forEach(([x, y], i) => {
    const [tx, ty] = truth.corners[i] as [number, number];
    worst = Math.max(worst, Math.abs(x - tx) / truth.sheetWidth, Math.abs(y - ty) / truth.sheetHeight);
  });
  return worst;
}

/** Bed colours seen under vendors' scans: the scanner's lid, grey felt, a black cloth, a wooden table. */
export const BEDS: Record<string, Rgb> = {
  'off-white': [236, 233, 224],
  'light grey': [196, 196, 192],
  'dark grey': [70, 70, 72],
  black: [18, 18, 20],
  cream: [228, 216, 186],
  wood: [140, 98, 60],
};

/** Lamps: none, warm (tungsten-ish), cool. */
export const CASTS: Record<string, Rgb> = { none: [1, 1, 1], warm: [1.06, 1.0, 0.84], cool: [0.92, 0.98, 1.08] };

/** A vendor's scan of poster i: drawn from `seed`, so a re-scan differs in every respect. */
export function scanOptions(seed: number, over: Partial<ScanOptions> = {}): ScanOptions {
  const r = random(seed * 7919 + 17);
  const pick = <T>(list: T[]): T => list[Math.floor(r() * list.length)] as T;
  const margin = () => 0.01 + r() * 0.07;
  const bed = BEDS[pick(Object.keys(BEDS))] as Rgb;
  // Mostly the warm lamp the issue names; some cool, some none.
  const cast = CASTS[pick(['warm', 'warm', 'none', 'cool'])] as Rgb;
  return {
    posterHeight: 700 + Math.floor(r() * 400),
    margins: { left: margin(), top: margin(), right: margin(), bottom: margin() },
    bed,
    angle: (r() * 2 - 1) * 3,
    cast,
    quality: 85,
    grain: seed + 1,
    ...over,
  };
}
