import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyPosters, recordingJob, tempDir } from '../../../tests/helpers';
import { CatalogueService } from '../service';
import { Tagger } from '../tagging/tagger';
import { rebuildMissing } from './rebuild';

describe('rebuilding what a restore left out', () => {
  const dir = tempDir();
  let service: CatalogueService;
  afterAll(async () => service?.close());

  it('counts posters, thumbnails first and then image features, each phase counted from nought', async () => {
    service = CatalogueService.open(join(dir, 'c.sqlite'));
    const posters = copyPosters(join(dir, 'in')).length;
    await service.startImport({ folder: join(dir, 'in') }).promise;
    // What a catalogue restored onto a new disk lacks: every thumbnail and every poster's features.
    rmSync(service.thumbnailsDir, { recursive: true });
    service.db.prepare('DELETE FROM features').run();

    const { job, reports } = recordingJob();
    const tagger = await Tagger.open(service.db);
    const summary = await rebuildMissing(service.db, service.thumbnailsDir, (list, ctx) => tagger.tagPosters(list, ctx), job);
    await tagger.close();
    expect(summary).toMatchObject({ status: 'succeeded', thumbnails: posters, features: posters, failures: [] });

    // Every figure is a count of posters ("3 of 12 posters"), never of "items" that mix two kinds of work.
    expect(new Set(reports.map((r) => r.unit))).toEqual(new Set(['poster', null]));
    const counted = reports.filter((r) => r.unit === 'poster');
    expect(new Set(counted.map((r) => `${r.message} of ${r.total}`))).toEqual(new Set([`Thumbnails of ${posters}`, `Image features of ${posters}`]));
    expect(counted.at(-1)).toMatchObject({ done: posters, total: posters, message: 'Image features' });
    // The features start from nought again after a report of nothing counted yet (the feature model loading),
    // so the bar, its rate and time left are measured afresh and a count never runs backwards.
    const features = reports.findIndex((r) => r.message === 'Image features' && r.unit === 'poster');
    expect(reports[features - 1]).toMatchObject({ done: 0, total: 0, unit: null });
    for (const [i, r] of reports.entries()) {
      const before = reports[i - 1];
      if (before && before.total === r.total) expect(r.done).toBeGreaterThanOrEqual(before.done);
    }
  }, 120_000);
});
