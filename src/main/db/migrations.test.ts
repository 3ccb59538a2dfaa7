import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GENRES } from '../../shared/genres';
import { tempDir } from '../../../tests/helpers';
import { LATEST_SCHEMA_VERSION } from './migrations/index';
import { migrate, openDatabase, schemaVersion } from './open';

const seedPoster = (db: Database.Database, sha: string) =>
  db
    .prepare(
      `INSERT INTO posters (path, sha256, bytes, width, height, title, year, decade, vendor, imported_at, thumbnail, phash)
       VALUES (?, ?, 10, 100, 150, 'Vertigo', 1958, 1950, 'v', '2026-01-01T00:00:00Z', 't.jpg', '0123456789abcdef')`,
    )
    .run(`/scans/${sha}.jpg`, sha);

describe('migrations', () => {
  it('001 creates the catalogue with the 19 TMDb genres, WAL and foreign keys on', () => {
    const db = openDatabase(join(tempDir(), 'c.sqlite'), { migrateTo: 1 });
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare('SELECT name FROM genres ORDER BY position').pluck().all()).toEqual([...DEFAULT_GENRES]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    seedPoster(db, 'a');
    expect(() => seedPoster(db, 'a')).toThrow(/UNIQUE/);
    db.close();
  });

  it('002 adds labels, suggestions, history, features and model versions, keeping v1 data', () => {
    const db = new Database(join(tempDir(), 'c.sqlite'));
    migrate(db, 1);
    seedPoster(db, 'a');
    db.prepare('INSERT INTO import_runs (folder, status, started_at) VALUES (?, ?, ?)').run('/scans', 'succeeded', 'now');
    migrate(db, 2);
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT title, year, reviewed_at FROM posters').get()).toEqual({ title: 'Vertigo', year: 1958, reviewed_at: null });
    expect(db.prepare('SELECT count(*) FROM import_runs').pluck().get()).toBe(1);
    db.prepare('INSERT INTO poster_labels (poster_id, genre_id) VALUES (1, 1)').run();
    db.prepare(
      "INSERT INTO suggestions (poster_id, genre_id, probability, above_threshold, model_version, created_at) VALUES (1, 2, 0.7, 1, 'm1', 'now')",
    ).run();
    expect(db.prepare('SELECT count(*) FROM poster_labels').pluck().get()).toBe(1);
    db.close();
  });

  it('003 adds the review uncertainty, keeping labels and suggestions', () => {
    const db = new Database(join(tempDir(), 'c.sqlite'));
    migrate(db, 2);
    seedPoster(db, 'a');
    db.prepare('INSERT INTO poster_labels (poster_id, genre_id) VALUES (1, 3)').run();
    migrate(db, 3);
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare('SELECT title, uncertainty FROM posters').get()).toEqual({ title: 'Vertigo', uncertainty: null });
    expect(db.prepare('SELECT genre_id FROM poster_labels').pluck().all()).toEqual([3]);
    db.close();
  });

  it('004 numbers existing model versions as run 0 and keeps them', () => {
    const db = new Database(join(tempDir(), 'c.sqlite'));
    migrate(db, 3);
    db.prepare("INSERT INTO model_versions (version, file, created_at, active) VALUES ('default', 'head.onnx', 'now', 1)").run();
    migrate(db, 4);
    expect(db.prepare('SELECT version, active, run, kept FROM model_versions').get()).toEqual({ version: 'default', active: 1, run: 0, kept: 1 });
    expect(db.prepare('SELECT count(*) FROM model_activations').pluck().get()).toBe(0);
    db.close();
  });

  it('every migration is listed once, in order', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    migrate(db); // idempotent
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
  });

  it('refuses a catalogue written by a newer version and leaves its file byte for byte untouched', () => {
    const path = join(tempDir(), 'future.sqlite');
    const future = new Database(path);
    future.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    future.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    future.close();
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(() => openDatabase(path)).toThrow(/newer Poster Catalogue \(schema version \d+; this version understands up to \d+\)/);
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(before);
  });

  it('names the file when it is not a database at all', () => {
    const dir = tempDir();
    const path = join(dir, 'junk.sqlite');
    writeFileSync(path, 'this is not sqlite, just text that goes on and on '.repeat(100));
    expect(() => openDatabase(path)).toThrow(/junk\.sqlite cannot be opened/);
  });
});
