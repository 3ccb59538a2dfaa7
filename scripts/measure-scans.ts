/**
 * Research tool: how well the poster is found in vendor scans, measured on the research posters in
 * ../shared turned into scans (scripts/lib/scanVariants.ts), through the import's own code
 * (analyseJpeg, decodeForModel):
 *
 *  - crop box: the largest corner error against the sheet's true corners, as a fraction of the
 *    sheet's width/height, on scans with margins of six colours and 1–8% widths, skewed ±3°, with
 *    warm/cool/no cast, JPEG quality 85 — and on the hard cases (a poster with a white border of
 *    its own; a poster whose edge is the bed's colour);
 *  - no margin: the clean posters, and no-margin scans (grain, cast, q85), must come back uncropped;
 *  - near-duplicates among `--files` scans of different films (whole-scan hash vs the poster's),
 *    and whether every re-scan of the same artwork (other size, other compression, other margin)
 *    is still linked;
 *  - suggestions: micro-F1 of the shipped head on `--f1` validation posters, clean vs scan (whole,
 *    as imported, cropped with the lamp left in), scored as the import scores (title and decade
 *    beside the image) and from the image alone, each difference with its bootstrap standard
 *    error, and each variant's difference from the import's own; `--ablate` adds other colour
 *    corrections, the lamp divided out exactly (the most a correction could take back) and the
 *    scan with no lamp at all, and what each part of a scan costs alone; `--only REGEX` keeps the
 *    clean posters and the variants whose name matches;
 *  - CPU-ms per scan that finding and cropping add to the decode.
 *
 *   node --import tsx scripts/measure-scans.ts [--files 2000] [--rescans 500] [--hard 200] [--f1 600] [--ablate] [--only REGEX]
 *     [--no-grain] [--scale 1] [--no-margin N] [--clean-pairs N]
 *
 * `--no-grain` makes every scan without grain (a scanner whose noise the JPEG and the downscale
 * smooth away); `--scale S` makes every sheet S times as tall (a large scan, whose grain the
 * thumbnail-size decode averages away). `--no-margin N` runs the no-margin scans alone on N posters
 * (the hard cases' sample is too small to see a rate of 1–3%). `--clean-pairs N`: the clean files of N
 * films, every pair of different films the hash alone would link, and which the layout keeps.
 *
 * `--f1 0` skips the suggestions (the model), for measuring geometry and hashes alone; `--files 0
 * --hard 0` measures the suggestions alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GenreHead, type ScoreBasis } from '../src/main/inference/genreHead';
import { FeatureExtractor } from '../src/main/inference/featureExtractor';
import { modelsDir } from '../src/main/inference/modelFiles';
import { NEAR_DUPLICATE_BITS } from '../src/main/import/importFolder';
import { findPoster } from '../src/main/media/findPoster';
import { whitePoint } from '../src/main/media/lamp';
import { analyseJpeg, applyCrop, decodeAnyImage, modelInput, posterOf, type RawImage, type SquareStrategy } from '../src/main/media/media';
import { hammingDistance, layoutCorrelation, LAYOUT_MIN_CORRELATION, sameLayout } from '../src/main/media/phash';
import { canonicalGenre, filmKey, stableFraction } from '../src/main/training/dataset';
import { DEFAULT_HEAD_FILE } from '../src/main/tagging/tagger';
import { BEDS, CASTS, cropError, makeScanVariant, random, scanOptions, type Rgb, type ScanOptions } from './lib/scanVariants';
import { VOCABULARIES } from './lib/sharedFeatures';
import { loadSharedPosters, type SharedPoster } from './lib/sharedPosters';
import { pool } from './lib/vendorScans';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '2000' },
    rescans: { type: 'string', default: '500' },
    hard: { type: 'string', default: '200' },
    f1: { type: 'string', default: '600' },
    ablate: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-grain': { type: 'boolean', default: false },
    scale: { type: 'string', default: '1' },
    /** No-margin scans alone, of this many posters (the hard cases' sample is small for a 1–3% effect). */
    'no-margin': { type: 'string', default: '0' },
    /** The clean files of this many films: pairs of different films within near-duplicate distance, by the hash alone and with the layout. */
    'clean-pairs': { type: 'string', default: '0' },
  },
});
const FILES = Number(values.files);
const RESCANS = Number(values.rescans);
const HARD = Number(values.hard);
const NO_MARGIN_POSTERS = Number(values['no-margin']);
const CLEAN_PAIRS = Number(values['clean-pairs']);
const F1_POSTERS = Number(values.f1);
const ABLATE = values.ablate;
const GRAIN = !values['no-grain'];
const SCALE = Number(values.scale);
if (!(SCALE > 0)) throw new Error(`--scale must be a positive number, not ${values.scale}`);

/** A scan's options as drawn for `seed`, with --no-grain and --scale applied (`over` wins). */
function scanOf(seed: number, over: Partial<ScanOptions> = {}): ScanOptions {
  const o = scanOptions(seed, over);
  return { ...o, posterHeight: over.posterHeight ?? Math.round(o.posterHeight * SCALE), grain: GRAIN ? o.grain : 0 };
}

const bedNames = Object.keys(BEDS);
const AS_IMPORTED = 'scan, as imported (cropped, lamp taken out)';

const percent = (x: number, digits = 1): string => `${(100 * x).toFixed(digits)}%`;
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

interface Case {
  poster: SharedPoster;
  index: number;
}

async function geometryAndDuplicates(cases: Case[]): Promise<void> {
  console.log(`\n## Crop box, no margin, near-duplicates (${cases.length} films, one scan each)`);
  const cropped: string[] = new Array(cases.length);
  const whole: string[] = new Array(cases.length);
  const clean: string[] = new Array(cases.length);
  const layouts = { cropped: [] as Uint8Array[], whole: [] as Uint8Array[], clean: [] as Uint8Array[] };
  const errors: number[] = [];
  const byAngle = { rotated: 0, small: 0 };
  let cleanCropped = 0;
  const cleanCroppedFiles: string[] = [];
  await pool(cases, 2, async ({ poster, index }) => {
    const source = readFileSync(poster.path);
    const o = scanOf(index);
    const { jpeg, truth } = await makeScanVariant(source, o);
    const found = await analyseJpeg(jpeg);
    const full = await analyseJpeg(jpeg, null);
    const original = await analyseJpeg(source);
    if (original.crop) {
      cleanCropped++;
      cleanCroppedFiles.push(poster.path);
    }
    errors[index] = cropError(found.crop, truth);
    if (found.crop && found.crop.angle !== 0) byAngle.rotated++;
    else byAngle.small++;
    cropped[index] = found.phash;
    whole[index] = full.phash;
    clean[index] = original.phash;
    layouts.cropped[index] = found.layout;
    layouts.whole[index] = full.layout;
    layouts.clean[index] = original.layout;
    if ((index + 1) % 250 === 0) process.stderr.write(`  ${index + 1} scans\n`);
  });
  const within = errors.filter((e) => e <= 0.01).length;
  console.log(
    `crop box within 1% of the sheet's true corners: ${within}/${errors.length} (${percent(within / errors.length)}); ` +
      `corner error median ${percent(quantile(errors, 0.5), 2)}, 95th percentile ${percent(quantile(errors, 0.95), 2)}, max ${percent(Math.max(...errors), 2)}; ` +
      `${byAngle.rotated} turned, ${byAngle.small} only cropped (skew ≤ 0.5° or not found)`,
  );
  const failures = errors.map((e, i) => [e, i] as const).filter(([e]) => e > 0.01);
  const listed = failures.slice(0, 30).map(([e, i]) => `${cases[i]?.poster.file} (${percent(e, 1)}, bed ${bedOf(i)})`);
  if (failures.length > listed.length) listed.push(`and ${failures.length - listed.length} more`);
  console.log(`scans over 1%: ${listed.join('; ') || 'none'}`);
  console.log(
    `clean posters (no margin) cropped: ${cleanCropped}/${cases.length}${cleanCroppedFiles.length ? ` — ${cleanCroppedFiles.slice(0, 10).join(', ')}` : ''}`,
  );

  const pairs = (hashes: string[]): [number, number][] => {
    const out: [number, number][] = [];
    for (let i = 0; i < hashes.length; i++) {
      for (let j = i + 1; j < hashes.length; j++) if (hammingDistance(hashes[i] as string, hashes[j] as string) <= NEAR_DUPLICATE_BITS) out.push([i, j]);
    }
    return out;
  };
  const falseWhole = pairs(whole);
  const falseCropped = pairs(cropped);
  const name = (i: number) => `${cases[i]?.poster.title} (${cases[i]?.poster.year})`;
  // The import links a pair only when their layouts agree too (phash.ts sameLayout).
  const withLayout = (list: [number, number][], of: Uint8Array[]) => list.filter(([i, j]) => sameLayout(of[i], of[j]));
  const r = (a: Uint8Array | undefined, b: Uint8Array | undefined) => (a && b ? (layoutCorrelation(a, b)?.toFixed(3) ?? 'flat') : '?');
  console.log(
    `pairs of different films within ${NEAR_DUPLICATE_BITS} bits, whole-scan hash: ${falseWhole.length}; e.g. ${falseWhole
      .slice(0, 4)
      .map(([i, j]) => `${name(i)} ~ ${name(j)}`)
      .join('; ')}`,
  );
  console.log(
    `pairs of different films within ${NEAR_DUPLICATE_BITS} bits, poster hash:     ${falseCropped.length}${falseCropped.length ? `: ${falseCropped.map(([i, j]) => `${name(i)} ~ ${name(j)} (layouts ${r(layouts.cropped[i], layouts.cropped[j])})`).join('; ')}` : ''}`,
  );
  console.log(
    `… of those, linked as the import links (layouts correlate ≥ ${LAYOUT_MIN_CORRELATION}): poster hash ${withLayout(falseCropped, layouts.cropped).length}, whole-scan hash ${withLayout(falseWhole, layouts.whole).length}`,
  );
  const cleanLinked = cases.filter((_, i) => hammingDistance(cropped[i] as string, clean[i] as string) <= NEAR_DUPLICATE_BITS).length;
  const cleanLinkedWhole = cases.filter((_, i) => hammingDistance(whole[i] as string, clean[i] as string) <= NEAR_DUPLICATE_BITS).length;
  const cleanLinkedLayout = cases.filter(
    (_, i) => hammingDistance(cropped[i] as string, clean[i] as string) <= NEAR_DUPLICATE_BITS && sameLayout(layouts.cropped[i], layouts.clean[i]),
  ).length;
  console.log(
    `scan linked with its clean poster: poster hash ${cleanLinked}/${cases.length} (with the layout ${cleanLinkedLayout}), whole-scan hash ${cleanLinkedWhole}/${cases.length}`,
  );
  const cleanLost = cases.flatMap((_, i) =>
    hammingDistance(cropped[i] as string, clean[i] as string) <= NEAR_DUPLICATE_BITS && !sameLayout(layouts.cropped[i], layouts.clean[i])
      ? [`${cases[i]?.poster.file} (${r(layouts.cropped[i], layouts.clean[i])})`]
      : [],
  );
  if (cleanLost.length) console.log(`… linked by the hash but not by the layout: ${cleanLost.join('; ')}`);

  // Re-scans of the same artwork: other size, other compression, other margin, bed, skew and lamp.
  const rescans = cases.slice(0, RESCANS);
  const distances: number[] = new Array(rescans.length);
  const distancesWhole: number[] = new Array(rescans.length);
  const correlations: number[] = new Array(rescans.length);
  const layoutAgrees: boolean[] = new Array(rescans.length);
  await pool(rescans, 2, async ({ poster, index }) => {
    const first = scanOf(index);
    const o = scanOf(index + 100_000, { posterHeight: Math.round(first.posterHeight * 1.35), quality: 70 });
    const { jpeg } = await makeScanVariant(readFileSync(poster.path), o);
    const again = await analyseJpeg(jpeg);
    distances[index] = hammingDistance(again.phash, cropped[index] as string);
    correlations[index] = layoutCorrelation(again.layout, layouts.cropped[index] as Uint8Array) ?? NaN;
    layoutAgrees[index] = sameLayout(again.layout, layouts.cropped[index]);
    distancesWhole[index] = hammingDistance((await analyseJpeg(jpeg, null)).phash, whole[index] as string);
  });
  const linked = distances.filter((d) => d <= NEAR_DUPLICATE_BITS).length;
  console.log(
    `re-scans (1.35× the size, quality 70, other margin/bed/skew/lamp) linked: poster hash ${linked}/${rescans.length} (max distance ${Math.max(...distances)}, 99th pct ${quantile(distances, 0.99)}), ` +
      `whole-scan hash ${distancesWhole.filter((d) => d <= NEAR_DUPLICATE_BITS).length}/${rescans.length}`,
  );
  const linkedLayout = distances.filter((d, i) => d <= NEAR_DUPLICATE_BITS && layoutAgrees[i]).length;
  console.log(
    `… linked as the import links (the layout too): ${linkedLayout}/${rescans.length}; lowest layout correlations ${[...correlations]
      .sort((a, b) => a - b)
      .slice(0, 5)
      .map((c) => c.toFixed(3))
      .join(', ')}`,
  );
  const unlinked = distances.map((d, i) => [d, i] as const).filter(([d, i]) => d > NEAR_DUPLICATE_BITS || !layoutAgrees[i]);
  const notLinked = unlinked.slice(0, 30).map(([d, i]) => `${cases[i]?.poster.file} (${d} bits, layouts ${(correlations[i] as number).toFixed(3)})`);
  if (unlinked.length > notLinked.length) notLinked.push(`and ${unlinked.length - notLinked.length} more`);
  console.log(`re-scans not linked: ${notLinked.join('; ') || 'none'}`);
  function bedOf(i: number): string {
    const bed = scanOf(i).bed;
    return bedNames.find((n) => BEDS[n] === bed) ?? '?';
  }
}

/** One hard case on every poster of `cases`: how often the crop is right (or, `expectNone`, absent). */
async function hardCase(cases: Case[], label: string, over: (i: number) => Partial<ScanOptions>, expectNone = false): Promise<void> {
  const errors: number[] = [];
  let uncropped = 0;
  let nearClean = 0;
  const cut: string[] = [];
  await pool(cases, 2, async ({ poster, index }) => {
    const source = readFileSync(poster.path);
    const { jpeg, truth } = await makeScanVariant(source, scanOf(index, over(index)));
    const found = await analyseJpeg(jpeg);
    errors.push(cropError(found.crop, truth));
    if (!found.crop) uncropped++;
    else cut.push(poster.file);
    if (hammingDistance(found.phash, (await analyseJpeg(source)).phash) <= NEAR_DUPLICATE_BITS) nearClean++;
  });
  const within = errors.filter((e) => e <= 0.01).length;
  console.log(
    `${label}: ${expectNone ? `left uncropped ${uncropped}/${cases.length}` : `crop within 1% ${within}/${cases.length}, median error ${percent(quantile(errors, 0.5), 2)}`}; ` +
      `hash within ${NEAR_DUPLICATE_BITS} bits of the clean poster's: ${nearClean}/${cases.length}`,
  );
  if (expectNone && cut.length) console.log(`  cut: ${cut.slice(0, 30).join(', ')}${cut.length > 30 ? ` and ${cut.length - 30} more` : ''}`);
}

const NO_MARGIN = { margins: { left: 0, top: 0, right: 0, bottom: 0 }, angle: 0 };
const noMarginLabel = (): string => `no margin at all (${GRAIN ? 'grain, ' : ''}cast, JPEG 85, square)`;

async function hardCases(cases: Case[]): Promise<void> {
  console.log(`\n## Hard cases (${cases.length} posters each)`);
  const white: Rgb = [250, 250, 250];
  await hardCase(cases, 'white border of its own (4% of the width), off-white or light grey bed', (i) => ({
    border: { width: 0.04, colour: white },
    bed: (i % 2 ? BEDS['off-white'] : BEDS['light grey']) as Rgb,
  }));
  await hardCase(cases, "edge the bed's colour (a 4% border in exactly the bed's colour)", (i) => {
    const bed = BEDS[bedNames[i % bedNames.length] as string] as Rgb;
    return { border: { width: 0.04, colour: bed }, bed };
  });
  await hardCase(cases, noMarginLabel(), () => NO_MARGIN, true);
}

/**
 * White patch: each channel scaled so that its brightest 1% (paper, white lettering) reaches the
 * brightest channel's, the gain capped at 1.35. A lamp scales channels; a poster's white does not.
 */
function whitePatch(image: RawImage): RawImage {
  const top = whitePoint(image);
  const bright = Math.max(...top);
  return scaleChannels(image, top.map((t) => Math.min(1.35, bright / t)) as Rgb);
}

/** Grey-world: every channel scaled to the same mean. */
function greyWorld(image: RawImage): RawImage {
  const { data, channels } = image;
  const sums = [0, 0, 0];
  for (let p = 0; p < data.length; p += channels) for (let k = 0; k < 3; k++) sums[k] = (sums[k] as number) + (data[p + k] as number);
  const mean = (sums[0]! + sums[1]! + sums[2]!) / 3;
  return scaleChannels(image, sums.map((s) => mean / Math.max(1, s as number)) as Rgb);
}

function scaleChannels(image: RawImage, gains: Rgb): RawImage {
  const out = Buffer.from(image.data);
  for (let p = 0; p < out.length; p += image.channels) {
    for (let k = 0; k < 3; k++) out[p + k] = Math.min(255, Math.round((out[p + k] as number) * gains[k]!));
  }
  return { ...image, data: out };
}

async function suggestions(cases: Case[]): Promise<void> {
  console.log(`\n## Suggestions (${cases.length} validation posters, shipped head)`);
  const head = await GenreHead.load(join(modelsDir(), DEFAULT_HEAD_FILE));
  const strategy = (head.info.training.strategy as SquareStrategy | undefined) ?? 'squash';
  const extractor = await FeatureExtractor.open();
  console.log(`feature model ${extractor.precision.precision} on ${extractor.report.provider}; square strategy ${strategy}; head ${head.info.version}`);
  // Each variant: the pixels the model is given for validation poster `index`.
  const cpu = { detect: 0, n: 0 };
  /** As the import does it: found, cut out, the lamp taken out against the bed (`lamp`: false leaves it in). */
  const cropped = (pixels: RawImage, lamp = true): RawImage => {
    const before = process.cpuUsage();
    const found = findPoster(pixels);
    const out = lamp ? posterOf(pixels, found.crop, found.margin) : found.crop ? applyCrop(pixels, found.crop) : pixels;
    const used = process.cpuUsage(before);
    cpu.detect += (used.user + used.system) / 1000;
    cpu.n++;
    return out;
  };
  // The poster's own scan is made and decoded once per batch and shared by the variants that use
  // it (none of them writes into the pixels they are given).
  const ownScans = new Map<number, Promise<RawImage>>();
  const scan = (source: Buffer, index: number, over?: Partial<ScanOptions>): Promise<RawImage> => {
    const make = async () => decodeAnyImage((await makeScanVariant(source, scanOf(index, over))).jpeg);
    if (over) return make();
    const made = ownScans.get(index) ?? make();
    ownScans.set(index, made);
    return made;
  };
  const plain: Partial<ScanOptions> = { margins: { left: 0, top: 0, right: 0, bottom: 0 }, angle: 0, cast: CASTS['none'] as Rgb, grain: 0, quality: 100 };
  const variants: [string, (source: Buffer, index: number) => Promise<RawImage>][] = [
    ['clean', (source) => decodeAnyImage(source)],
    ['scan, whole', (source, index) => scan(source, index)],
    [AS_IMPORTED, async (source, index) => cropped(await scan(source, index))],
    ['scan, cropped, lamp left in', async (source, index) => cropped(await scan(source, index), false)],
  ];
  if (ABLATE) {
    variants.push(
      [
        'scan, cropped, the lamp divided out exactly (its ceiling)',
        async (source, index) => {
          const cast = scanOptions(index).cast;
          return scaleChannels(cropped(await scan(source, index), false), cast.map((c) => 1 / c) as Rgb);
        },
      ],
      ['scan without a lamp, as imported', async (source, index) => cropped(await scan(source, index, { cast: CASTS['none'] as Rgb }))],
      // Other ways of taking the lamp out, each on the cut alone.
      [
        'scan, cropped + margin white balance',
        async (source, index) => {
          const pixels = await scan(source, index);
          const margin = findPoster(pixels).margin ?? [128, 128, 128];
          const grey = (margin[0] + margin[1] + margin[2]) / 3;
          return scaleChannels(cropped(pixels, false), margin.map((m) => grey / Math.max(1, m)) as Rgb);
        },
      ],
      ['scan, cropped + grey-world', async (source, index) => greyWorld(cropped(await scan(source, index), false))],
      ['scan, cropped + white patch', async (source, index) => whitePatch(cropped(await scan(source, index), false))],
      ['clean + white patch', async (source) => whitePatch(await decodeAnyImage(source))],
      // What each part of a scan costs on its own: the same sheet size, one thing added at a time.
      ['resampled only (sheet 700–1,100 px, JPEG 100)', (source, index) => scan(source, index, plain)],
      ['resampled + JPEG 85', (source, index) => scan(source, index, { ...plain, quality: 85 })],
      ['resampled + grain', (source, index) => scan(source, index, { ...plain, grain: index + 1 })],
      ["resampled + the scan's lamp", (source, index) => scan(source, index, { ...plain, cast: scanOptions(index).cast })],
      [
        'margin + skew + grain (no lamp), cropped',
        async (source, index) => {
          const { margins, angle, bed } = scanOptions(index);
          return cropped(await scan(source, index, { ...plain, margins, angle, bed, grain: index + 1 }));
        },
      ],
    );
  }
  if (values.only) {
    const only = new RegExp(values.only);
    variants.splice(0, variants.length, ...variants.filter(([name]) => name === 'clean' || only.test(name)));
  }
  // Scored twice: as the import scores a poster (its title and decade beside the image, each row
  // judged by the thresholds of the inputs it had), and from the image alone.
  type Scored = { probabilities: Float32Array; thresholds: (number | null)[] };
  const scored = { 'as imported (image + title + decade)': new Map<string, Scored[]>(), 'image only': new Map<string, Scored[]>() };
  for (const byVariant of Object.values(scored)) for (const [v] of variants) byVariant.set(v, []);
  for (let start = 0; start < cases.length; start += 8) {
    const batch = cases.slice(start, start + 8);
    ownScans.clear();
    for (const [name, pixels] of variants) {
      const inputs: Uint8Array[] = [];
      for (const { poster, index } of batch) inputs.push(await modelInput(await pixels(readFileSync(poster.path), index), strategy));
      const features = await extractor.extract(inputs);
      const withTitles = await head.scoreWith(
        features.map((f, i) => {
          const { title, year } = (batch[i] as Case).poster;
          return { features: f, title, decade: year === null ? null : Math.floor(year / 10) * 10 };
        }),
      );
      const alone = await head.scoreWith(features.map((f) => ({ features: f })));
      const keep = (rows: { probabilities: Float32Array; basis: ScoreBasis }[]) =>
        rows.map((r) => ({ probabilities: r.probabilities, thresholds: head.thresholdsFor(r.basis) }));
      scored['as imported (image + title + decade)'].get(name)?.push(...keep(withTitles));
      scored['image only'].get(name)?.push(...keep(alone));
    }
    if ((start + 8) % 200 < 8) process.stderr.write(`  ${start + 8} posters featurised\n`);
  }
  await extractor.close();
  const { genres } = head.info;
  // `sample`: which posters count (a bootstrap draws them with repetition); all by default.
  const metrics = (rows: Scored[], sample: number[] = rows.map((_, i) => i)) => {
    let [tp, fp, fn] = [0, 0, 0];
    const per = genres.map(() => ({ tp: 0, fp: 0, fn: 0 }));
    sample.forEach((i) => {
      const { probabilities: p, thresholds } = rows[i] as Scored;
      const poster = cases[i]?.poster as SharedPoster;
      const vocab = new Set(VOCABULARIES[poster.source].map(canonicalGenre));
      const has = new Set(poster.genres.map(canonicalGenre));
      genres.forEach((g, j) => {
        const t = thresholds[j];
        if (t === null || t === undefined || !vocab.has(g)) return;
        const predicted = (p[j] as number) >= t;
        const actual = has.has(g);
        const s = per[j] as { tp: number; fp: number; fn: number };
        if (predicted && actual) {
          tp++;
          s.tp++;
        } else if (predicted) {
          fp++;
          s.fp++;
        } else if (actual) {
          fn++;
          s.fn++;
        }
      });
    });
    const f1 = (a: number, b: number, c: number) => (a === 0 ? 0 : (2 * a) / (2 * a + b + c));
    const present = per.filter((s) => s.tp + s.fn > 0);
    return { micro: f1(tp, fp, fn), macro: present.reduce((sum, s) => sum + f1(s.tp, s.fp, s.fn), 0) / Math.max(1, present.length) };
  };
  // The difference's standard error: 200 bootstrap draws of the posters, the same draw for both.
  const draw = random(4242);
  const draws = Array.from({ length: 200 }, () => cases.map(() => Math.floor(draw() * cases.length)));
  const signed = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(3);
  for (const [how, byVariant] of Object.entries(scored)) {
    console.log(`\n### Scored ${how}`);
    /** Micro-F1 of `rows` less that of `base`, and the difference's standard error. */
    const against = (rows: Scored[], base: Scored[]): string => {
      const diffs = draws.map((sample) => metrics(rows, sample).micro - metrics(base, sample).micro);
      const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
      const se = Math.sqrt(diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / (diffs.length - 1));
      return `${signed(metrics(rows).micro - metrics(base).micro)} ± ${se.toFixed(3)}`;
    };
    const cleanRows = byVariant.get('clean') ?? [];
    // Other variants are also compared with the import's own, the same posters on both sides.
    const imported = byVariant.get(AS_IMPORTED);
    for (const [v] of variants) {
      const rows = byVariant.get(v) ?? [];
      const m = metrics(rows);
      const beside = imported && v !== 'clean' && v !== AS_IMPORTED ? `  against the import ${against(rows, imported)}` : '';
      console.log(`${v.padEnd(48)} micro-F1 ${m.micro.toFixed(3)} (${against(rows, cleanRows)})  macro-F1 ${m.macro.toFixed(3)}${beside}`);
    }
  }
  console.log(`finding + cropping: ${(cpu.detect / cpu.n).toFixed(2)} CPU-ms per scan (on the decoded thumbnail-size pixels)`);
  await head.close();
}

/**
 * The research files as they are, one per film: every pair of different films whose hashes are
 * within near-duplicate distance, and which of them the layout still links. Some are one image
 * under two titles in the data set (correlation 1.000): a link there is right.
 */
async function cleanPairs(films: SharedPoster[]): Promise<void> {
  console.log(`\n## Clean files of ${films.length} films: pairs of different films within ${NEAR_DUPLICATE_BITS} bits`);
  const hashes: string[] = new Array(films.length);
  const layouts: Uint8Array[] = new Array(films.length);
  await pool(
    films.map((poster, index) => ({ poster, index })),
    2,
    async ({ poster, index }) => {
      const a = await analyseJpeg(readFileSync(poster.path));
      hashes[index] = a.phash;
      layouts[index] = a.layout;
    },
  );
  let linked = 0;
  const lines: string[] = [];
  for (let i = 0; i < films.length; i++) {
    for (let j = i + 1; j < films.length; j++) {
      const d = hammingDistance(hashes[i] as string, hashes[j] as string);
      if (d > NEAR_DUPLICATE_BITS) continue;
      const kept = sameLayout(layouts[i], layouts[j]);
      if (kept) linked++;
      const r = layoutCorrelation(layouts[i] as Uint8Array, layouts[j] as Uint8Array);
      lines.push(
        `  ${d} bits, layouts ${r === null ? 'flat' : r.toFixed(3)} ${kept ? 'linked' : 'not linked'}: ${films[i]?.source}/${films[i]?.file} "${films[i]?.title}" ~ ${films[j]?.source}/${films[j]?.file} "${films[j]?.title}"`,
      );
    }
  }
  console.log(`by the hash alone: ${lines.length} pairs; with the layout (≥ ${LAYOUT_MIN_CORRELATION}): ${linked}`);
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const all = loadSharedPosters();
  // One poster per film: the sources share films (and artwork) under titles in other forms.
  const seen = new Set<string>();
  // A few research files named .jpg hold PNG data: a vendor's scans are JPEGs.
  const isJpeg = (path: string): boolean => {
    const head = readFileSync(path).subarray(0, 3);
    return head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
  };
  const films = all.filter((p) => {
    if (!isJpeg(p.path)) return false;
    const key = filmKey(p.title, p.year);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const shuffled = films
    // By the file's place in the data set, not on this disk: the same posters from any checkout.
    .map((p) => [stableFraction(`${p.source}/${p.file}`, 17), p] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, p]) => p);
  const cases = shuffled.slice(0, FILES).map((poster, index) => ({ poster, index }));
  console.log(`# Scans of the research posters (${films.length} films)`);
  // --files 0: the suggestions alone.
  if (cases.length > 0) await geometryAndDuplicates(cases);
  if (HARD > 0) await hardCases(cases.slice(0, HARD));
  if (NO_MARGIN_POSTERS > 0) {
    console.log(`\n## No-margin scans (${NO_MARGIN_POSTERS} posters)`);
    await hardCase(
      shuffled.slice(0, NO_MARGIN_POSTERS).map((poster, index) => ({ poster, index })),
      noMarginLabel(),
      () => NO_MARGIN,
      true,
    );
  }
  if (CLEAN_PAIRS > 0) await cleanPairs(shuffled.slice(0, CLEAN_PAIRS));
  // Validation posters of the shipped head (never trained on), with genres.
  const validation = shuffled
    .filter((p) => stableFraction(filmKey(p.title, p.year)) < 0.15 && p.genres.length > 0)
    .slice(0, F1_POSTERS)
    .map((poster, index) => ({ poster, index: 200_000 + index }));
  // --f1 0: geometry and hashes only (the model part is the expensive one).
  if (validation.length > 0) await suggestions(validation);
}

await main();
