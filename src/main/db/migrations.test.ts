import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
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

/** Frozen copy of the vocabulary migration 001 seeds: today's DEFAULT_GENRES may change, 001 may not. */
const GENRES_OF_001 = [
  'Action', 'Adventure', 'Animation', 'Comedy', 'Crime', 'Documentary', 'Drama', 'Family', 'Fantasy', 'History',
  'Horror', 'Music', 'Mystery', 'Romance', 'Science Fiction', 'TV Movie', 'Thriller', 'War', 'Western',
]; // prettier-ignore

describe('migrations', () => {
  it('001 creates the catalogue with the 19 TMDb genres, WAL and foreign keys on', () => {
    const db = openDatabase(join(tempDir(), 'c.sqlite'), { migrateTo: 1 });
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare('SELECT name FROM genres ORDER BY position').pluck().all()).toEqual(GENRES_OF_001);
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

  it('005 turns label history into changes by genre id, and adds genre edits, head genre ids and locks', () => {
    const db = new Database(join(tempDir(), 'c.sqlite'));
    migrate(db, 4);
    seedPoster(db, 'a');
    const insert = db.prepare('INSERT INTO label_history (poster_id, old_genres, new_genres, changed_at, reviewer) VALUES (1, ?, ?, ?, ?)');
    insert.run(null, 'Horror|thriller', 't1', 'ana');
    insert.run('Horror|thriller', '', 't2', null);
    insert.run('', 'Giallo|Drama', 't3', null); // Giallo never existed: dropped, Drama kept
    db.prepare("INSERT INTO model_versions (version, file, created_at, active) VALUES ('default', 'head.onnx', 'now', 1)").run();
    migrate(db, 5);
    const id = (name: string) => db.prepare('SELECT id FROM genres WHERE name = ?').pluck().get(name) as number;
    const rows = db.prepare('SELECT before, after, changed_at, reviewer, batch, undone_at FROM label_changes ORDER BY id').all() as Record<string, unknown>[];
    expect(rows.map((r) => [JSON.parse(r.before as string), JSON.parse(r.after as string), r.changed_at, r.reviewer])).toEqual([
      [{ reviewed: false, add: [], remove: [] }, { reviewed: true, genres: [id('Horror'), id('Thriller')].sort((x, y) => x - y) }, 't1', 'ana'],
      [{ reviewed: true, genres: [id('Horror'), id('Thriller')].sort((x, y) => x - y) }, { reviewed: true, genres: [] }, 't2', null],
      [{ reviewed: true, genres: [] }, { reviewed: true, genres: [id('Drama')] }, 't3', null],
    ]);
    expect(rows.every((r) => r.batch === null && r.undone_at === null)).toBe(true);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'label_history'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT version, genre_ids FROM model_versions').get()).toEqual({ version: 'default', genre_ids: null });
    db.prepare('INSERT INTO genre_edits (poster_id, genre_id, present) VALUES (1, 1, 1)').run();
    expect(() => db.prepare('INSERT INTO genre_edits (poster_id, genre_id, present) VALUES (1, 2, 5)').run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO catalogue_locks (name, pid, host, started_at, heartbeat_at) VALUES ('import', 1, 'h', 'now', 'now')").run();
    db.close();
  });

  it('009 adds the suggestion basis, keeping posters and suggestions', () => {
    const db = new Database(join(tempDir(), 'c.sqlite'));
    migrate(db, 5);
    seedPoster(db, 'a');
    db.prepare("INSERT INTO suggestions (poster_id, genre_id, probability, above_threshold, model_version, created_at) VALUES (1, 3, 0.7, 1, 'v1', 'x')").run();
    migrate(db, 9);
    expect(schemaVersion(db)).toBe(9);
    expect(db.prepare('SELECT count(*) FROM suggestion_basis').pluck().get()).toBe(0);
    expect(db.prepare('SELECT probability FROM suggestions').pluck().all()).toEqual([0.7]);
    db.pragma('foreign_keys = ON');
    db.prepare("INSERT INTO suggestion_basis (poster_id, model_version, title, decade, created_at) VALUES (1, 'v2', 'Vertigo', 1950, 'x')").run();
    db.prepare('DELETE FROM suggestions').run();
    db.prepare('DELETE FROM posters').run();
    expect(db.prepare('SELECT count(*) FROM suggestion_basis').pluck().get()).toBe(0);
    db.close();
  });

  it('010 adds the near-duplicate layout, keeping posters (their layout unknown: NULL) and refusing one of another size', () => {
    const db = new Database(join(tempDir(), 'c.sqlite'));
    migrate(db, 9);
    seedPoster(db, 'a');
    migrate(db, 10);
    expect(schemaVersion(db)).toBe(10);
    expect(db.prepare('SELECT title, layout FROM posters').get()).toEqual({ title: 'Vertigo', layout: null });
    db.prepare('UPDATE posters SET layout = ?').run(Buffer.alloc(64, 7));
    expect(() => db.prepare('UPDATE posters SET layout = ?').run(Buffer.alloc(63))).toThrow(/CHECK/);
    db.close();
  });

  it('006 adds the crop box and skew, keeping posters (their crop unknown: NULL) and refusing a wrong state', () => {
    const db = new Database(join(tempDir(), 'c.sqlite'));
    migrate(db, 5);
    seedPoster(db, 'a');
    migrate(db, 6);
    expect(schemaVersion(db)).toBe(6);
    expect(db.prepare('SELECT title, phash, crop_state, crop_left, crop_angle FROM posters').get()).toEqual({
      title: 'Vertigo',
      phash: '0123456789abcdef',
      crop_state: null,
      crop_left: null,
      crop_angle: null,
    });
    db.prepare("UPDATE posters SET crop_state = 'detected', crop_left = 0.03, crop_top = 0.05, crop_width = 0.9, crop_height = 0.92, crop_angle = -2.5").run();
    expect(() => db.prepare("UPDATE posters SET crop_state = 'sideways'").run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE posters SET crop_width = 0').run()).toThrow(/CHECK/);
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
