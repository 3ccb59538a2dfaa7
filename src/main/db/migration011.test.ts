import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers';
import { migrate, schemaVersion } from './open';

describe('migration 011', () => {
  it('counts earlier label changes as whole confirmations only where they left the poster reviewed, and keeps every change', () => {
    const db = new Database(join(tempDir(), 'c.sqlite'));
    db.pragma('foreign_keys = ON');
    migrate(db, 10);
    db.prepare(
      `INSERT INTO posters (path, sha256, bytes, width, height, title, imported_at, thumbnail, phash)
       VALUES ('/scans/a.jpg', 'a', 10, 100, 150, 'Vertigo', '2026-01-01T00:00:00Z', 't.jpg', '0123456789abcdef')`,
    ).run();
    const change = db.prepare("INSERT INTO label_changes (poster_id, before, after, changed_at) VALUES (1, ?, ?, '2026-01-02T00:00:00Z')");
    const unreviewed = JSON.stringify({ reviewed: false, add: [], remove: [] });
    const reviewed = JSON.stringify({ reviewed: true, genres: [3] });
    const reviewedAs = (genres: number[]) => JSON.stringify({ reviewed: true, genres });
    change.run(unreviewed, reviewed);
    change.run(reviewed, unreviewed);
    change.run(unreviewed, JSON.stringify({ reviewed: false, add: [4], remove: [] }));
    change.run(unreviewed, reviewedAs([3, 5])); // confirmed
    change.run(reviewedAs([3, 5]), reviewedAs([3, 5, 7])); // one genre added in the Library
    change.run(reviewedAs([3, 5, 7]), reviewedAs([5, 7])); // one taken off
    change.run(reviewedAs([5, 7]), reviewedAs([2, 9])); // confirmed again, with other genres
    change.run(reviewedAs([2, 9]), reviewedAs([1, 2, 9]));
    db.prepare("UPDATE label_changes SET batch = 'b2' WHERE id = 8").run(); // a bulk "add genre"
    migrate(db, 11);
    expect(schemaVersion(db)).toBe(11);
    expect(db.prepare('SELECT complete FROM label_changes ORDER BY id').pluck().all()).toEqual([1, 0, 0, 1, 0, 0, 1, 0]);
    expect(db.prepare('SELECT count(*) FROM genres WHERE restored_at IS NOT NULL').pluck().get()).toBe(0);
    db.close();
  });
});
