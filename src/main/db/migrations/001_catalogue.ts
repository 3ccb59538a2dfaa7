import type { Migration } from './index';

/**
 * Posters, the genre vocabulary, import runs with the outcome of every file. Frozen text: the 19
 * TMDb genres are written out, not taken from today's DEFAULT_GENRES, so this migration means the
 * same thing forever.
 */
export const migration001: Migration = {
  version: 1,
  name: 'catalogue',
  sql: `
    CREATE TABLE genres (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL COLLATE NOCASE UNIQUE,
      position INTEGER NOT NULL,
      retired_at TEXT,
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE posters (
      id INTEGER PRIMARY KEY,
      path TEXT NOT NULL,
      sha256 TEXT NOT NULL UNIQUE,
      bytes INTEGER NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      title TEXT,
      year INTEGER,
      decade INTEGER,
      vendor TEXT,
      imported_at TEXT NOT NULL,
      thumbnail TEXT NOT NULL,
      phash TEXT NOT NULL,
      duplicate_of INTEGER REFERENCES posters(id) ON DELETE SET NULL
    ) STRICT;
    CREATE INDEX posters_decade ON posters(decade);
    CREATE INDEX posters_vendor ON posters(vendor);
    CREATE INDEX posters_duplicate_of ON posters(duplicate_of);

    CREATE TABLE import_runs (
      id INTEGER PRIMARY KEY,
      folder TEXT NOT NULL,
      vendor TEXT,
      status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'cancelled', 'failed', 'interrupted')),
      started_at TEXT NOT NULL,
      finished_at TEXT,
      total INTEGER NOT NULL DEFAULT 0
    ) STRICT;

    CREATE TABLE import_files (
      run_id INTEGER NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
      path TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('imported', 'already_present', 'near_duplicate', 'failed')),
      reason TEXT,
      poster_id INTEGER REFERENCES posters(id) ON DELETE SET NULL,
      PRIMARY KEY (run_id, path)
    ) STRICT;

    INSERT INTO genres (name, position, created_at) VALUES
      ('Action', 0, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('Adventure', 1, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('Animation', 2, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('Comedy', 3, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('Crime', 4, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('Documentary', 5, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('Drama', 6, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('Family', 7, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('Fantasy', 8, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('History', 9, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('Horror', 10, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('Music', 11, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('Mystery', 12, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('Romance', 13, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('Science Fiction', 14, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('TV Movie', 15, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('Thriller', 16, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('War', 17, strftime('%Y-%m-%dT%H:%M:%fZ')),
      ('Western', 18, strftime('%Y-%m-%dT%H:%M:%fZ'));
  `,
};
