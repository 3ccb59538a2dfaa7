/**
 * The scanner lamp's colour cast, taken out of a poster cut from a scan (issue 17). A lamp scales
 * the channels of the whole scan, bed and poster alike. Two witnesses of it, neither enough alone:
 *
 *  - the bed, taken as grey — wrong for a cream lid or a wooden table, which are not grey;
 *  - the poster's white patch (each channel's brightest 1%: paper, white lettering) — wrong for a
 *    poster with no white in it (a yellow title would be "corrected" to white).
 *
 * A channel is moved only where both witnesses say it is off in the same direction, and only by the
 * smaller of the two shifts; brightness is left as it is. A cream bed under no lamp (the poster's
 * whites are white) or a poster with no white on a grey bed is then left alone. Measured on the
 * research posters turned into scans (docs/measurements.md, "Posters found in vendor scans").
 */
export type Rgb = [number, number, number];

interface Pixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** No channel is moved by more than this factor either way: a lamp, not a repaint. */
const MAX_GAIN = 1.35;

/** Log gains less their mean: a colour shift, whatever it does to brightness. */
function shift(gains: number[]): number[] {
  const logs = gains.map((g) => Math.log(g));
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  return logs.map((l) => l - mean);
}

/** Each channel's value that its brightest 1% of pixels reach. */
export function whitePoint(image: Pixels): Rgb {
  const { data, channels } = image;
  const histograms = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)] as const;
  for (let p = 0; p < data.length; p += channels) {
    for (let k = 0; k < 3; k++) {
      const h = histograms[k as 0 | 1 | 2];
      const v = data[p + k] as number;
      h[v] = (h[v] as number) + 1;
    }
  }
  const enough = (data.length / channels) * 0.01;
  return histograms.map((h) => {
    let seen = 0;
    for (let v = 255; v > 0; v--) if ((seen += h[v] as number) >= enough) return v;
    return 1;
  }) as Rgb;
}

/** The gains that take the lamp out of `poster` (1, 1, 1 where the witnesses disagree). */
export function lampGains(poster: Pixels, bed: Rgb): Rgb {
  if (poster.channels < 3) return [1, 1, 1];
  const grey = (bed[0] + bed[1] + bed[2]) / 3;
  const fromBed = shift(bed.map((b) => grey / Math.max(1, b)));
  const white = whitePoint(poster);
  const brightest = Math.max(...white);
  const fromWhite = shift(white.map((w) => Math.min(MAX_GAIN, brightest / w)));
  const limit = Math.log(MAX_GAIN);
  return fromWhite.map((a, k) => {
    const b = fromBed[k] as number;
    if (a * b <= 0) return 1;
    const l = Math.abs(a) < Math.abs(b) ? a : b;
    return Math.exp(Math.max(-limit, Math.min(limit, l)));
  }) as Rgb;
}

/** `poster` with the lamp taken out, read against the bed's colour; unchanged without a bed. */
export function correctLamp<T extends Pixels & { data: Buffer }>(poster: T, bed: Rgb | null): T {
  if (!bed || poster.channels < 3) return poster;
  const gains = lampGains(poster, bed);
  if (gains.every((g) => Math.abs(g - 1) < 0.005)) return poster;
  const out = Buffer.from(poster.data);
  const lut = gains.map((g) => Uint8Array.from({ length: 256 }, (_, v) => Math.min(255, Math.round(v * g))));
  for (let p = 0; p < out.length; p += poster.channels) {
    for (let k = 0; k < 3; k++) out[p + k] = (lut[k] as Uint8Array)[out[p + k] as number] as number;
  }
  return { ...poster, data: out };
}
