import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers';
import { migrate, schemaVersion } from './open';

describe('migration 008', () => {
  it('adds unsure flags for review, keeping posters and labels; a flag goes with its poster', () => {
    const db = new Database(join(tempDir(), 'c.sqlite'));
    db.pragma('foreign_keys = ON');
    migrate(db, 5);
    db.prepare(
      `INSERT INTO posters (path, sha256, bytes, width, height, title, year, decade, vendor, imported_at, thumbnail, phash)
       VALUES ('/scans/a.jpg', 'a', 10, 100, 150, 'Vertigo', 1958, 1950, 'v', '2026-01-01T00:00:00Z', 't.jpg', '0123456789abcdef')`,
    ).run();
    db.prepare('INSERT INTO poster_labels (poster_id, genre_id) VALUES (1, 3)').run();
    migrate(db, 8);
    expect(schemaVersion(db)).toBe(8);
    expect(db.prepare('SELECT title FROM posters').pluck().all()).toEqual(['Vertigo']);
    expect(db.prepare('SELECT genre_id FROM poster_labels').pluck().all()).toEqual([3]);
    db.prepare("INSERT INTO review_flags (poster_id, flagged_at, reviewer) VALUES (1, 'now', 'ana')").run();
    expect(() => db.prepare("INSERT INTO review_flags (poster_id, flagged_at) VALUES (99, 'now')").run()).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM poster_labels').run();
    db.prepare('DELETE FROM posters WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) FROM review_flags').pluck().get()).toBe(0);
    db.close();
  });
});
