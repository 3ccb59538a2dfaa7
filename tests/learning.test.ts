import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addGenre } from '../src/main/catalogue/genreRepository';
import { activeModel, listActivations } from '../src/main/catalogue/modelRepository';
import { listPosters } from '../src/main/catalogue/posterRepository';
import { createHandlers, dispatch } from '../src/main/handlers';
import { modelsDir } from '../src/main/inference/modelFiles';
import { CatalogueService } from '../src/main/service';
import { BASE_POOL_FILE } from '../src/main/training/basePool';
import { copyPosters, tempDir } from './helpers';

const services: CatalogueService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
});

async function catalogueWithReviews(): Promise<CatalogueService> {
  const dir = tempDir();
  copyPosters(join(dir, 'in'));
  const service = CatalogueService.open(join(dir, 'catalogue.sqlite'));
  services.push(service);
  await service.startImport({ folder: join(dir, 'in') }).promise;
  const reviews = ['Comedy', 'Drama', 'Comedy|Horror', 'Drama|Romance', 'Horror', 'Action|Adventure'];
  listPosters(service.db, 0, reviews.length).forEach((p, i) => service.library.setLabels(p.id, (reviews[i] as string).split('|'), 'test'));
  return service;
}

const suggestionSnapshot = (service: CatalogueService) =>
  service.db
    .prepare(
      `SELECT s.poster_id, s.genre_id, s.probability, s.above_threshold, s.model_version FROM suggestions s
       JOIN posters p ON p.id = s.poster_id WHERE p.reviewed_at IS NULL ORDER BY 1, 2`,
    )
    .all();

describe('learning from staff', () => {
  it('trains a new version in a worker, compares it with the active one, activates it and rolls back exactly', async () => {
    const service = await catalogueWithReviews();
    const before = suggestionSnapshot(service);
    const defaultVersion = activeModel(service.db)?.version;

    const summary = await service.startTrain().promise;
    expect(summary.run).toBe(1);
    expect(summary.reviewed).toBe(6);
    expect(summary.basePool).toBeGreaterThan(9000); // the shipped base pool was used
    expect(summary.activated).toBeNull(); // activation is explicit unless turned on
    expect(summary.candidate?.n).toBe(summary.validation);
    expect(summary.active?.n).toBe(summary.validation);
    expect(activeModel(service.db)?.version).toBe(defaultVersion);

    const overview = service.models();
    const v1 = overview.versions.find((v) => v.version === 'v1');
    expect(v1?.validation?.candidate).toBeDefined();
    expect(v1?.activeAtTraining).toEqual([defaultVersion]);
    expect(v1?.counts?.reviewed).toBe(6);
    expect(v1?.counts?.perGenre.find((g) => g.genre === 'Horror')?.reviewed).toBe(2);

    const activation = service.activate('v1');
    const retag = await activation.promise;
    expect(retag.rescored).toBe(listPosters(service.db, 0, 100).length - 6);
    const after = suggestionSnapshot(service) as { model_version: string; probability: number }[];
    expect(after.every((s) => s.model_version === 'v1')).toBe(true);
    expect(after).not.toEqual(before);
    expect((await service.inferenceStatus()).headVersion).toBe('v1');

    await service.rollback().promise;
    expect(activeModel(service.db)?.version).toBe(defaultVersion);
    expect(suggestionSnapshot(service)).toEqual(before); // the earlier suggestions, exactly
    expect(listActivations(service.db).map((a) => a.versions)).toEqual([[defaultVersion], ['v1'], [defaultVersion]]);
  });

  it('says how many more examples a new genre needs, and never suggests it before then', async () => {
    const service = await catalogueWithReviews();
    addGenre(service.db, 'Giallo');
    const [first, second] = listPosters(service.db, 0, 2);
    service.library.setLabels(first?.id as number, ['Horror', 'Giallo']);
    service.library.setLabels(second?.id as number, ['Thriller', 'Giallo']);
    expect(service.models().genres.find((g) => g.genre === 'Giallo')).toEqual({ genre: 'Giallo', reviewed: 2, pool: 0, needs: 18 });
    // Film-Noir is known to the base pool: adding it costs no reviews at all.
    addGenre(service.db, 'Film-Noir');
    expect(service.models().genres.find((g) => g.genre === 'Film-Noir')?.needs).toBe(0);

    const summary = await service.startTrain({ autoActivate: true }).promise;
    expect(summary.genres.find((g) => g.genre === 'Giallo')?.needs).toBe(18);
    expect(summary.activated).toBe(summary.wins ? 'v1' : null);
    if (!summary.activated) await service.activate('v1').promise;
    const suggested = service.db.prepare('SELECT DISTINCT g.name FROM suggestions s JOIN genres g ON g.id = s.genre_id').pluck().all();
    expect(suggested).not.toContain('Giallo');
    expect(suggested).toContain('Film-Noir');
  });

  it("keeps what was learned for a genre renamed since: the base pool's examples and the active head's weights", async () => {
    const service = await catalogueWithReviews();
    const horror = service.library.genreByName('Horror');
    const before = service.models().genres.find((g) => g.genre === 'Horror');
    expect(before?.pool).toBeGreaterThan(100);
    service.library.renameGenre(horror.id, 'Horreur');
    expect(service.models().genres.find((g) => g.genre === 'Horreur')).toEqual({ ...before, genre: 'Horreur' });

    const summary = await service.startTrain().promise;
    expect(summary.genres.find((g) => g.genre === 'Horreur')).toMatchObject({ pool: before?.pool, needs: 0 });
    await service.activate('v1').promise;
    const suggested = service.db.prepare('SELECT count(*) FROM suggestions WHERE genre_id = ?').pluck().get(horror.id) as number;
    expect(suggested).toBeGreaterThan(0);
  });

  it('cancels a retraining and refuses what cannot work with clear messages', async () => {
    const service = await catalogueWithReviews();
    const started = service.startTrain();
    expect(() => service.startTrain()).toThrow('A retraining is already running; wait for it or cancel it.');
    service.jobs.cancel(started.jobId);
    await expect(started.promise).rejects.toThrow(/cancelled/);
    expect(service.models().versions.map((v) => v.version)).not.toContain('v1');
    // And in the middle of training, in the worker.
    const second = service.startTrain();
    await new Promise<void>((resolve) => {
      const off = service.jobs.subscribe((p) => {
        if (p.jobId === second.jobId && p.done >= 1) {
          off();
          resolve();
        }
      });
    });
    service.jobs.cancel(second.jobId);
    await expect(second.promise).rejects.toThrow(/cancelled/);
    expect(service.jobs.list().find((j) => j.jobId === second.jobId)?.state).toBe('cancelled');
    expect(service.models().versions.map((v) => v.version)).not.toContain('v1');

    const handlers = createHandlers(service);
    expect(await dispatch(handlers, 'models:activate', { version: 'v7' })).toEqual({
      ok: false,
      error: { code: 'model-not-found', message: 'There is no model version "v7" (see "models").' },
    });
    expect(await dispatch(handlers, 'models:rollback', undefined)).toMatchObject({ ok: false, error: { code: 'nothing-to-roll-back' } });
    expect(await dispatch(handlers, 'models:train', { decade: 1955 })).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    expect(existsSync(join(service.dbPath, '..', 'catalogue.models', 'v1.onnx'))).toBe(false);
  });

  it('refuses to retrain without the shipped base pool, naming the file, rather than learn from the reviews alone', async () => {
    const service = await catalogueWithReviews();
    // The application's model folder with every file but the base pool.
    const models = join(tempDir(), 'models');
    mkdirSync(models);
    for (const f of readdirSync(modelsDir())) if (f !== BASE_POOL_FILE) symlinkSync(join(modelsDir(), f), join(models, f));
    const saved = process.env.POSTER_CATALOGUE_MODELS;
    process.env.POSTER_CATALOGUE_MODELS = models;
    try {
      await expect(service.startTrain().promise).rejects.toMatchObject({
        code: 'model-missing',
        message: `The base pool ${join(models, BASE_POOL_FILE)} is missing, so nothing was retrained: it ships with the application, so reinstall it.`,
      });
    } finally {
      if (saved === undefined) delete process.env.POSTER_CATALOGUE_MODELS;
      else process.env.POSTER_CATALOGUE_MODELS = saved;
    }
    expect(service.models().versions.map((v) => v.version)).not.toContain('v1');
  });
});
