import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './open';

describe('migration 007', () => {
  it('adds thresholds, confidence margins, set-aside and poster edits, keeping what was there', () => {
    const db = new Database(':memory:');
    migrate(db, 5);
    db.prepare(
      `INSERT INTO posters (path, sha256, bytes, width, height, title, year, decade, vendor, imported_at, thumbnail, phash, uncertainty)
       VALUES ('/s/a.jpg', 'a', 10, 100, 150, 'Vertigo', 1958, 1950, 'v', 'now', 't.jpg', '0123456789abcdef', 0.03)`,
    ).run();
    db.prepare(
      "INSERT INTO suggestions (poster_id, genre_id, probability, above_threshold, model_version, created_at) VALUES (1, 2, 0.7, 1, 'm1', 'now')",
    ).run();
    migrate(db, 7);
    expect(db.prepare('SELECT title, uncertainty, confidence, set_aside_at FROM posters').get()).toEqual({
      title: 'Vertigo',
      uncertainty: 0.03,
      confidence: null, // known once the poster is tagged again: the old suggestions carry no threshold
      set_aside_at: null,
    });
    expect(db.prepare('SELECT probability, model_version FROM suggestions').get()).toEqual({ probability: 0.7, model_version: 'm1' });
    db.prepare("INSERT INTO genre_thresholds VALUES ('m1', 2, 0.4)").run();
    db.prepare(`INSERT INTO poster_edits (poster_id, field, before, after, changed_at) VALUES (1, 'title', '"Vertigo"', '"Vertigo!"', 'now')`).run();
    expect(() => db.prepare(`INSERT INTO poster_edits (poster_id, field, before, after, changed_at) VALUES (1, 'path', '""', '""', 'now')`).run()).toThrow(
      /CHECK/,
    );
  });
});
