import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEDS, CASTS, makeScanVariant, type Rgb, type ScanOptions } from '../../../scripts/lib/scanVariants';
import { POSTERS, posterFiles } from '../../../tests/helpers';
import { findPoster } from './findPoster';
import { correctLamp, lampGains } from './lamp';
import { applyCrop, decodeAnyImage, posterOf, type RawImage } from './media';

/** A synthetic poster: a white band (paper, lettering) over a field of `field`. */
function poster(field: Rgb, white: Rgb = [255, 255, 255]): RawImage {
  const [width, height] = [60, 90];
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = y < 10 ? white : field;
      data.set(c, (y * width + x) * 3);
    }
  }
  return { data, width, height, channels: 3 };
}
const lit = (c: Rgb, cast: Rgb): Rgb => c.map((v, k) => Math.min(255, Math.round(v * (cast[k] as number)))) as Rgb;
const meanColour = (image: RawImage): Rgb => {
  const sums = [0, 0, 0];
  for (let p = 0; p < image.data.length; p += image.channels) for (let k = 0; k < 3; k++) sums[k] = (sums[k] as number) + (image.data[p + k] as number);
  return sums.map((s) => s / (image.data.length / image.channels)) as Rgb;
};
/** How far two colours are apart in chromaticity (each normalised to its own sum). */
const colourDistance = (a: Rgb, b: Rgb): number => {
  const sa = a[0] + a[1] + a[2];
  const sb = b[0] + b[1] + b[2];
  return a.reduce((d, v, k) => d + Math.abs(v / sa - (b[k] as number) / sb), 0);
};

describe('the lamp taken out of a poster cut from a scan', () => {
  const warm = CASTS.warm as Rgb;
  const offWhite = BEDS['off-white'] as Rgb;

  it('moves the channels back where bed and white patch agree on a warm lamp', () => {
    const g = lampGains(poster(lit([90, 120, 160], warm), lit([255, 255, 255], warm)), lit(offWhite, warm));
    // The lamp raised red and lowered blue: the gains lower red and raise blue.
    expect(g[2]).toBeGreaterThan(1.08);
    expect(g[0]).toBeLessThan(1);
    expect(g[2] / g[0]).toBeLessThan((1 / 0.84) * 1.06 + 0.01); // never more than the lamp did
  });

  it('leaves a poster alone on a cream bed under no lamp (its whites are white) and one without white on a grey bed', () => {
    for (const g of [lampGains(poster([90, 120, 160]), BEDS.cream as Rgb), lampGains(poster([220, 190, 40], [230, 200, 60]), BEDS['light grey'] as Rgb)]) {
      for (const v of g) expect(Math.abs(v - 1)).toBeLessThan(0.02);
    }
  });

  it('changes nothing without a bed, or for a grey image', () => {
    const p = poster([90, 120, 160]);
    expect(correctLamp(p, null)).toBe(p);
    const grey: RawImage = { data: Buffer.alloc(40 * 40, 128), width: 40, height: 40, channels: 1 };
    expect(correctLamp(grey, [250, 233, 188])).toBe(grey);
  });

  it('brings a warm-lit scan of a real poster closer to the clean poster than the crop alone; a scan used whole is untouched', async () => {
    const name = posterFiles()[0] as string;
    const source = readFileSync(join(POSTERS, name));
    const options: ScanOptions = {
      posterHeight: 700,
      margins: { left: 0.04, top: 0.03, right: 0.05, bottom: 0.06 },
      bed: offWhite,
      angle: 2,
      cast: warm,
      quality: 85,
      grain: 3,
    };
    const scan = await decodeAnyImage((await makeScanVariant(source, options)).jpeg);
    const found = findPoster(scan);
    expect(found.crop).not.toBeNull();
    const clean = meanColour(await decodeAnyImage(source));
    const cutOnly = meanColour(applyCrop(scan, found.crop!));
    const corrected = meanColour(posterOf(scan, found.crop, found.margin));
    expect(colourDistance(corrected, clean)).toBeLessThan(colourDistance(cutOnly, clean) * 0.6);
    expect(posterOf(scan, null)).toBe(scan);
  });
});
