import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers';
import { CatalogueService } from '../service';
import { activateModelVersion, activationStack, activeModel, listActivations, registerModelVersion, rollbackModels, rollbackTarget } from './modelRepository';

let service: CatalogueService;
afterEach(async () => service?.close());

/** A catalogue with the shipped version active and runs v1..v3 registered (no files needed to switch them). */
function catalogue() {
  service = CatalogueService.open(join(tempDir(), 'c.sqlite'));
  const db = service.db;
  registerModelVersion(db, { version: 'default', decade: null, file: '/models/default.onnx', genreIds: [] });
  activateModelVersion(db, 'default', 'the shipped default model');
  for (const run of [1, 2, 3]) registerModelVersion(db, { version: `v${run}`, decade: null, file: `/models/v${run}.onnx`, genreIds: [], run });
  return db;
}
const active = () => activeModel(service.db)?.version;

describe('rollback through the activation log', () => {
  it('steps back one activation at a time, never toggling, until nothing earlier is left', () => {
    const db = catalogue();
    activateModelVersion(db, 'v1');
    activateModelVersion(db, 'v2');
    activateModelVersion(db, 'v3');
    expect(rollbackTarget(db)?.versions).toEqual(['v2']);
    expect(rollbackModels(db).map((m) => m.version)).toEqual(['v2']);
    expect(active()).toBe('v2');
    // A second Roll back goes further back (it used to return to v3).
    rollbackModels(db);
    expect(active()).toBe('v1');
    rollbackModels(db);
    expect(active()).toBe('default');
    expect(rollbackTarget(db)).toBeNull();
    expect(() => rollbackModels(db)).toThrow('There is no earlier model to roll back to.');
    expect(active()).toBe('default');
  });

  it('stacks a new activation after a rollback on top of where the rollback left things', () => {
    const db = catalogue();
    activateModelVersion(db, 'v1');
    activateModelVersion(db, 'v2');
    rollbackModels(db); // v1
    activateModelVersion(db, 'v3'); // v1 → v3
    expect(rollbackTarget(db)?.versions).toEqual(['v1']);
    rollbackModels(db);
    expect(active()).toBe('v1');
    rollbackModels(db);
    expect(active()).toBe('default');
  });

  it('ignores activating what is already active, and reads a log written when rollbacks toggled', () => {
    const db = catalogue();
    activateModelVersion(db, 'v1');
    activateModelVersion(db, 'v1');
    expect(rollbackTarget(db)?.versions).toEqual(['default']);
    // default, v1, rolled back to default, rolled back to v1 (the old toggle): v1 is active, default is beneath it.
    const log = [...listActivations(db).slice(0, 2), ...listActivations(db).slice(0, 2)].map((a, i) => ({
      ...a,
      id: i + 1,
      reason: i < 2 ? a.reason : `rolled back to ${a.versions.join(', ')}`,
    }));
    expect(activationStack(log).map((a) => a.versions)).toEqual([['default'], ['v1']]);
  });
});

describe('what the Models screen offers', () => {
  it('says what Roll back returns to, and why Retrain has nothing to do', () => {
    const db = catalogue();
    const poster = db
      .prepare(
        `INSERT INTO posters (path, sha256, bytes, width, height, imported_at, thumbnail, phash) VALUES ('/p.jpg', 'x', 1, 1, 1, '2026-11-21T00:00:00Z', 't', '0')`,
      )
      .run().lastInsertRowid as number;
    expect(service.models().rollbackTo).toBeNull();
    expect(service.models().nothingToTrain).toMatch(/^Nothing to learn from yet/);
    service.library.setLabels(poster, ['Horror'], 'ann');
    // v1..v3 were registered before the review: there is something new to learn from.
    db.prepare("UPDATE model_versions SET created_at = '2000-01-01T00:00:00.000Z'").run();
    expect(service.models().nothingToTrain).toBeNull();
    // A run trained after the latest review: nothing new.
    db.prepare("UPDATE model_versions SET created_at = '2999-01-01T00:00:00.000Z' WHERE version = 'v3'").run();
    expect(service.models().nothingToTrain).toBe(
      'No review has changed since v3 was trained: retraining would learn the same thing. Review or correct posters first.',
    );
    activateModelVersion(db, 'v2');
    activateModelVersion(db, 'v3');
    expect(service.models().rollbackTo?.versions).toEqual(['v2']);
    rollbackModels(db);
    expect(service.models().rollbackTo?.versions).toEqual(['default']);
  });
});
