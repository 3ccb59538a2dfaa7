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
    change.run(unreviewed, reviewed);
    change.run(reviewed, unreviewed);
    change.run(unreviewed, JSON.stringify({ reviewed: false, add: [4], remove: [] }));
    migrate(db, 11);
    expect(schemaVersion(db)).toBe(11);
    expect(db.prepare('SELECT complete FROM label_changes ORDER BY id').pluck().all()).toEqual([1, 0, 0]);
    expect(db.prepare('SELECT count(*) FROM genres WHERE restored_at IS NOT NULL').pluck().get()).toBe(0);
    db.close();
  });
});
