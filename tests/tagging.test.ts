import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countFeatures, loadFeatures } from '../src/main/catalogue/featureRepository';
import { activeModel } from '../src/main/catalogue/modelRepository';
import { suggestionBasisFor } from '../src/main/catalogue/suggestionBasisRepository';
import { suggestionsFor } from '../src/main/catalogue/suggestionRepository';
import { listPosters } from '../src/main/catalogue/posterRepository';
import { exportCsv } from '../src/main/export/exportCsv';
import { decodeForModel } from '../src/main/media/media';
import { CatalogueService } from '../src/main/service';
import { copyPosters, noopJob, posterFiles, tempDir } from './helpers';

const services: CatalogueService[] = [];
async function openWith(dir: string): Promise<CatalogueService> {
  const s = CatalogueService.open(join(dir, 'catalogue.sqlite'));
  services.push(s);
  return s;
}
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
});

describe('tagging', () => {
  it('gives every imported poster suggestions from one decode, caching its features', async () => {
    const dir = tempDir();
    copyPosters(join(dir, 'in'));
    const service = await openWith(dir);
    const summary = await service.startImport({ folder: join(dir, 'in') }).promise;
    expect(summary.tagged).toBe(posterFiles().length);
    const tagger = await service.tagger();
    const head = tagger.heads.all.head.info;
    expect(activeModel(service.db)?.version).toBe(head.version);
    expect(countFeatures(service.db, tagger.featureKey)).toBe(posterFiles().length);
    for (const poster of listPosters(service.db, 0, 100)) {
      const suggestions = suggestionsFor(service.db, poster.id);
      // Genres the head never learned (History, TV Movie in the default head) get no probability at all.
      expect(suggestions).toHaveLength(head.thresholds.filter((t) => t !== null).length);
      expect(suggestions.map((s) => s.genre)).not.toContain('TV Movie');
      expect(suggestions.every((s) => s.modelVersion === head.version && s.probability >= 0 && s.probability <= 1)).toBe(true);
      // What the suggestions were based on is recorded: the title only when the head reads titles.
      const basis = suggestionBasisFor(service.db, poster.id);
      expect(basis?.modelVersion).toBe(head.version);
      if (!head.inputs.includes('title')) expect(basis?.title).toBeNull();
      const thresholds = basis?.title ? head.thresholds : head.imageOnlyThresholds;
      for (const s of suggestions) {
        const threshold = thresholds[head.genres.indexOf(s.genre)] as number;
        expect(s.aboveThreshold).toBe(s.probability >= threshold);
      }
      // The import's features equal those made from the file by the tag path.
      const fromFile = (await tagger.extractor.extract([await decodeForModel(readFileSync(poster.path), tagger.strategy)]))[0];
      const cached = loadFeatures(service.db, poster.id, tagger.featureKey);
      expect(cached?.length).toBe(2048);
      cached?.forEach((v, i) => expect(Math.abs(v - (fromFile?.[i] as number))).toBeLessThan(1e-4));
    }
    // The shop export now carries the suggestions.
    const csv = join(dir, 'out.csv');
    await exportCsv(service.db, { file: csv }, noopJob());
    const text = readFileSync(csv, 'utf8');
    expect(text).toContain(`,${head.version},`);
    expect(text).toMatch(/,suggested,/);
  });

  it('an import gives posters that an earlier, killed run left without suggestions theirs, and names any it cannot', async () => {
    const dir = tempDir();
    const files = copyPosters(join(dir, 'in'));
    const service = await openWith(dir);
    await service.startImport({ folder: join(dir, 'in') }).promise;
    // As a kill -9 between committing the posters and scoring them leaves it: rows without suggestions.
    const left = listPosters(service.db, 0, 3).map((p) => p.id);
    service.db.prepare('DELETE FROM suggestions WHERE poster_id IN (SELECT value FROM json_each(?))').run(JSON.stringify(left));
    const gone = listPosters(service.db, 0, 100).find((p) => p.id === left[2]);
    rmSync(gone?.path as string);
    service.db.prepare('DELETE FROM features WHERE poster_id = ?').run(gone?.id); // or its cached features would do
    // Importing the folder again skips those posters as already present, yet gives them suggestions.
    const again = await service.startImport({ folder: join(dir, 'in') }).promise;
    expect(again).toMatchObject({ status: 'succeeded', imported: 0, alreadyPresent: files.length - 1, tagged: 0 });
    expect(again.earlier.tagged).toBe(2);
    expect(again.earlier.failures).toEqual([{ file: gone?.path, reason: expect.stringMatching(/.+/) }]);
    for (const id of left.slice(0, 2)) expect(suggestionsFor(service.db, id).length).toBeGreaterThan(0);
  });

  it('tag scores again the unreviewed posters whose suggestions came from a version no longer active', async () => {
    const dir = tempDir();
    copyPosters(join(dir, 'in'));
    const service = await openWith(dir);
    await service.startImport({ folder: join(dir, 'in') }).promise;
    const active = activeModel(service.db)?.version;
    // As a kill -9 after activating another version, before the re-scoring that follows, leaves it.
    const [stale, reviewed] = listPosters(service.db, 0, 2).map((p) => p.id);
    service.library.setLabels(reviewed as number, ['Drama']);
    service.db.prepare("UPDATE suggestions SET model_version = 'v-gone' WHERE poster_id IN (?, ?)").run(stale, reviewed);
    const summary = await service.startTag().promise;
    expect(summary).toMatchObject({ status: 'succeeded', total: 1, tagged: 1, fromCache: 1, failed: 0 });
    expect(suggestionsFor(service.db, stale as number).every((s) => s.modelVersion === active)).toBe(true);
    // A reviewed poster keeps what it was reviewed with.
    expect(suggestionsFor(service.db, reviewed as number).every((s) => s.modelVersion === 'v-gone')).toBe(true);
    expect((await service.startTag().promise).total).toBe(0);
  });

  it('tags only what lacks suggestions, reuses cached features for --all, and explains files that are gone or broken', async () => {
    const dir = tempDir();
    const files = copyPosters(join(dir, 'in'));
    const service = await openWith(dir);
    await service.startImport({ folder: join(dir, 'in'), tag: false }).promise;
    rmSync(files[0] as string);
    writeFileSync(files[1] as string, Buffer.from('no longer a picture'));
    const first = await service.startTag().promise;
    expect(first).toMatchObject({ status: 'succeeded', total: files.length, tagged: files.length - 2, fromCache: 0, failed: 2 });
    expect(first.failures).toHaveLength(2);
    expect(first.failures).toEqual(
      expect.arrayContaining([
        { file: files[0], reason: 'the file is gone (moved or deleted since import)' },
        { file: files[1], reason: expect.stringMatching(/truncated|corrupt|not an image/) },
      ]),
    );
    const nothingLeft = await service.startTag().promise;
    expect(nothingLeft).toMatchObject({ total: 2, tagged: 0, failed: 2 });
    const before = suggestionsFor(service.db, 3);
    const all = await service.startTag({ all: true }).promise;
    expect(all).toMatchObject({ tagged: files.length - 2, fromCache: files.length - 2, failed: 2 });
    const after = suggestionsFor(service.db, 3);
    after.forEach((s, i) => expect(s.probability).toBeCloseTo(before[i]?.probability as number, 6));
  });

  it('can be cancelled, and the next run tags the rest', async () => {
    const dir = tempDir();
    copyPosters(join(dir, 'in'));
    const service = await openWith(dir);
    await service.startImport({ folder: join(dir, 'in'), tag: false }).promise;
    const tagger = await service.tagger();
    const controller = new AbortController();
    const posters = listPosters(service.db, 0, 100).map((p) => ({ id: p.id, path: p.path }));
    const cancelled = await tagger.tagPosters(
      posters,
      {
        signal: controller.signal,
        onProgress: (done) => done > 0 && controller.abort(),
      },
      4,
    );
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.tagged).toBeLessThan(posters.length);
    const rest = await service.startTag().promise;
    expect(rest.tagged).toBe(posters.length - cancelled.tagged);
  });
});
