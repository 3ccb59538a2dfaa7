import type { Migration } from './index';

/**
 * The library's detail work: the threshold each model version judged each genre against, and each
 * poster its confidence margin (the smallest distance of a genre's probability to its threshold,
 * in log-odds), so the confidence bands follow whichever model made the suggestions. Title, year,
 * vendor and near-duplicate decisions are recorded as undoable edits; the copy not kept of a
 * near-duplicate pair is set aside (hidden, never deleted). Frozen text.
 */
export const migration007: Migration = {
  version: 7,
  name: 'library detail: confidence margins, poster edits, set-aside duplicates',
  sql: `
    CREATE TABLE genre_thresholds (
      model_version TEXT NOT NULL,
      genre_id INTEGER NOT NULL REFERENCES genres(id),
      threshold REAL NOT NULL,
      PRIMARY KEY (model_version, genre_id)
    ) STRICT, WITHOUT ROWID;
    ALTER TABLE posters ADD COLUMN confidence REAL;
    ALTER TABLE posters ADD COLUMN set_aside_at TEXT;
    CREATE INDEX posters_confidence ON posters(confidence);

    CREATE TABLE poster_edits (
      id INTEGER PRIMARY KEY,
      poster_id INTEGER NOT NULL REFERENCES posters(id) ON DELETE CASCADE,
      field TEXT NOT NULL CHECK (field IN ('title', 'year', 'vendor', 'duplicate_of', 'set_aside_at')),
      before TEXT NOT NULL,
      after TEXT NOT NULL,
      changed_at TEXT NOT NULL,
      reviewer TEXT,
      undone_at TEXT
    ) STRICT;
    CREATE INDEX poster_edits_poster ON poster_edits(poster_id, id);
  `,
};
