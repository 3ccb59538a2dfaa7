import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { BEDS, CASTS, makeScanVariant } from '../scripts/lib/scanVariants';
import { loadFeatures } from '../src/main/catalogue/featureRepository';
import { listPosters } from '../src/main/catalogue/posterRepository';
import { createHandlers, dispatch } from '../src/main/handlers';
import { decodeForModel } from '../src/main/media/media';
import { CatalogueService } from '../src/main/service';
import { copyPosters, POSTERS, posterFiles, tempDir } from './helpers';

const services: CatalogueService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
});

/** Three clean posters, scans of the same three, and scans of three others, in one vendor folder. */
async function vendorFolder(dir: string): Promise<void> {
  const names = posterFiles();
  copyPosters(dir, names.slice(0, 3));
  for (const [k, name] of names.slice(0, 6).entries()) {
    const { jpeg } = await makeScanVariant(readFileSync(join(POSTERS, name)), {
      posterHeight: 700,
      margins: { left: 0.04, top: 0.03, right: 0.05, bottom: 0.06 },
      bed: Object.values(BEDS)[k] as [number, number, number],
      angle: k % 2 ? 2.5 : -2,
      cast: CASTS.warm as [number, number, number],
      quality: 85,
      grain: k + 1,
    });
    writeFileSync(join(dir, `scan-${name}`), jpeg);
  }
}

describe('posters found in vendor scans', () => {
  it('imports scans cropped and straightened: crop kept, thumbnail and features of the poster, re-scans linked to their clean poster', async () => {
    const dir = tempDir();
    await vendorFolder(join(dir, 'in'));
    const service = CatalogueService.open(join(dir, 'catalogue.sqlite'));
    services.push(service);
    const summary = await service.startImport({ folder: join(dir, 'in') }).promise;
    expect(summary.imported + summary.nearDuplicates).toBe(9);
    expect(summary.nearDuplicates).toBe(3);
    const posters = listPosters(service.db, 0, 100);
    const byName = new Map(posters.map((p) => [p.path.split('/').pop() as string, p]));
    const tagger = await service.tagger();
    for (const [k, name] of posterFiles().slice(0, 6).entries()) {
      const scan = byName.get(`scan-${name}`);
      expect(scan?.crop?.state).toBe('detected');
      expect(Math.abs(scan?.crop?.box?.angle ?? 0)).toBeGreaterThan(1.5);
      // A scan of a poster also in the folder is linked with it (whichever was decoded first), and with nothing else.
      const clean = byName.get(name);
      const links = posters.filter((p) => p.duplicateOf === scan?.id || p.id === scan?.duplicateOf).map((p) => p.id);
      expect(links).toEqual(k < 3 ? [clean?.id] : []);
      // The thumbnail is the poster's shape, not the bed's.
      const source = await sharp(join(POSTERS, name)).metadata();
      const thumb = await sharp(join(service.thumbnailsDir, scan?.thumbnail as string)).metadata();
      expect((thumb.width as number) / (thumb.height as number)).toBeCloseTo((source.width as number) / (source.height as number), 1);
      // The import's features are those the tag path makes from the file with the stored crop.
      const fromFile = (await tagger.extractor.extract([await decodeForModel(readFileSync(scan?.path as string), tagger.strategy, scan?.crop?.box)]))[0];
      const cached = loadFeatures(service.db, scan?.id as number, tagger.featureKey);
      cached?.forEach((v, i) => expect(Math.abs(v - (fromFile?.[i] as number))).toBeLessThan(1e-4));
    }
    for (const name of posterFiles().slice(0, 3)) expect(byName.get(name)?.crop).toEqual({ state: 'none', box: null });
  });

  it('staff turn the crop off, draw their own, and find it again: re-hashed, re-thumbnailed, re-featurised, the scan untouched', async () => {
    const dir = tempDir();
    await vendorFolder(join(dir, 'in'));
    const service = CatalogueService.open(join(dir, 'catalogue.sqlite'));
    services.push(service);
    await service.startImport({ folder: join(dir, 'in') }).promise;
    const tagger = await service.tagger();
    const scan = listPosters(service.db, 0, 100).find((p) => p.path.endsWith(`scan-${posterFiles()[0]}`));
    if (!scan) throw new Error('the scan was not imported');
    const bytes = createHash('sha256').update(readFileSync(scan.path)).digest('hex');
    const detected = scan.crop?.box;
    const featuresBefore = loadFeatures(service.db, scan.id, tagger.featureKey) as Float32Array;

    const off = await service.cropPoster(scan.id, 'off');
    expect(off.poster.crop).toEqual({ state: 'off', box: detected });
    expect(off.poster.thumbnail).not.toBe(scan.thumbnail);
    expect(existsSync(join(service.thumbnailsDir, off.poster.thumbnail))).toBe(true);
    // The whole scan (bed and all) no longer hashes as its clean poster: the link goes.
    expect(off.poster.duplicateOf).toBeNull();
    expect(off.duplicates.filter((d) => d.duplicateOf === scan.id)).toEqual([]);
    const featuresOff = loadFeatures(service.db, scan.id, tagger.featureKey) as Float32Array;
    expect(featuresOff).toBeDefined();
    expect(Math.max(...featuresOff.map((v, i) => Math.abs(v - (featuresBefore[i] as number))))).toBeGreaterThan(0.01);
    const thumbOff = await sharp(join(service.thumbnailsDir, off.poster.thumbnail)).metadata();
    const scanMeta = await sharp(scan.path).metadata();
    expect((thumbOff.width as number) / (thumbOff.height as number)).toBeCloseTo((scanMeta.width as number) / (scanMeta.height as number), 2);

    const drawn = { left: 0.1, top: 0.1, width: 0.6, height: 0.7, angle: 1 };
    const manual = await service.cropPoster(scan.id, drawn);
    expect(manual.poster.crop).toEqual({ state: 'manual', box: drawn });
    const thumbManual = await sharp(join(service.thumbnailsDir, manual.poster.thumbnail)).metadata();
    expect((thumbManual.width as number) / (thumbManual.height as number)).toBeCloseTo(
      (0.6 * (scanMeta.width as number)) / (0.7 * (scanMeta.height as number)),
      1,
    );

    const again = await service.cropPoster(scan.id, 'detect');
    expect(again.poster.crop?.state).toBe('detected');
    expect(again.poster.crop?.box).toEqual(detected);
    expect(again.poster.duplicateOf ?? again.duplicates[0]?.id).toBeDefined();
    const featuresAgain = loadFeatures(service.db, scan.id, tagger.featureKey) as Float32Array;
    featuresAgain.forEach((v, i) => expect(Math.abs(v - (featuresBefore[i] as number))).toBeLessThan(1e-4));
    expect(createHash('sha256').update(readFileSync(scan.path)).digest('hex')).toBe(bytes);
  });

  it('refuses a box the scan cannot give, and a poster that does not exist, with the reason; nothing changes', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'in'));
    copyPosters(join(dir, 'in'), posterFiles().slice(0, 1));
    const service = CatalogueService.open(join(dir, 'catalogue.sqlite'));
    services.push(service);
    await service.startImport({ folder: join(dir, 'in'), tag: false }).promise;
    const [poster] = listPosters(service.db, 0, 10);
    const handlers = createHandlers(service);
    const tiny = await dispatch(handlers, 'posters:crop', { id: poster?.id, crop: { left: 0.5, top: 0.5, width: 0.01, height: 0.5, angle: 0 } });
    expect(tiny).toEqual({ ok: false, error: { code: 'bad-crop', message: expect.stringMatching(/too small/) as unknown } });
    const wild = await dispatch(handlers, 'posters:crop', { id: poster?.id, crop: { left: 0, top: 0, width: 1, height: 1, angle: 90 } });
    expect(wild).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    const missing = await dispatch(handlers, 'posters:crop', { id: 999, crop: 'detect' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'poster-not-found' } });
    expect(listPosters(service.db, 0, 10)[0]).toEqual(poster);
  });
});
