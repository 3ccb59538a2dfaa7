import type { Migration } from './index';

/**
 * Room for learning: human labels (a reviewed poster's complete genre set), model suggestions,
 * review history for undo and audit, cached features per feature model, and head versions.
 */
export const migration002: Migration = {
  version: 2,
  name: 'labels and models',
  sql: `
    ALTER TABLE posters ADD COLUMN reviewed_at TEXT;
    ALTER TABLE posters ADD COLUMN reviewer TEXT;

    CREATE TABLE poster_labels (
      poster_id INTEGER NOT NULL REFERENCES posters(id) ON DELETE CASCADE,
      genre_id INTEGER NOT NULL REFERENCES genres(id),
      PRIMARY KEY (poster_id, genre_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE label_history (
      id INTEGER PRIMARY KEY,
      poster_id INTEGER NOT NULL REFERENCES posters(id) ON DELETE CASCADE,
      old_genres TEXT,
      new_genres TEXT,
      changed_at TEXT NOT NULL,
      reviewer TEXT
    ) STRICT;
    CREATE INDEX label_history_poster ON label_history(poster_id);

    CREATE TABLE model_versions (
      id INTEGER PRIMARY KEY,
      version TEXT NOT NULL UNIQUE,
      decade INTEGER,
      file TEXT NOT NULL,
      created_at TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 0,
      params TEXT,
      metrics TEXT,
      training_counts TEXT
    ) STRICT;

    CREATE TABLE suggestions (
      poster_id INTEGER NOT NULL REFERENCES posters(id) ON DELETE CASCADE,
      genre_id INTEGER NOT NULL REFERENCES genres(id),
      probability REAL NOT NULL,
      above_threshold INTEGER NOT NULL,
      model_version TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (poster_id, genre_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE features (
      poster_id INTEGER NOT NULL REFERENCES posters(id) ON DELETE CASCADE,
      feature_model TEXT NOT NULL,
      vector BLOB NOT NULL,
      PRIMARY KEY (poster_id, feature_model)
    ) STRICT;
  `,
};
