import type { Migration, MigrationDb } from './index';

/**
 * Label changes by genre id, undoable one step at a time and by bulk action; per-genre edits on
 * posters nobody has reviewed yet; head outputs mapped to genre ids; catalogue-level locks that
 * another process sees. Frozen text: the conversion below knows only the tables as they stand here.
 */
export const migration005: Migration = {
  version: 5,
  name: 'one door: label changes by id, genre edits, locks',
  sql: `
    CREATE TABLE label_changes (
      id INTEGER PRIMARY KEY,
      poster_id INTEGER NOT NULL REFERENCES posters(id) ON DELETE CASCADE,
      before TEXT NOT NULL,
      after TEXT NOT NULL,
      changed_at TEXT NOT NULL,
      reviewer TEXT,
      batch TEXT,
      undone_at TEXT
    ) STRICT;
    CREATE INDEX label_changes_poster ON label_changes(poster_id, id);
    CREATE INDEX label_changes_batch ON label_changes(batch) WHERE batch IS NOT NULL;

    CREATE TABLE genre_edits (
      poster_id INTEGER NOT NULL REFERENCES posters(id) ON DELETE CASCADE,
      genre_id INTEGER NOT NULL REFERENCES genres(id),
      present INTEGER NOT NULL CHECK (present IN (0, 1)),
      PRIMARY KEY (poster_id, genre_id)
    ) STRICT, WITHOUT ROWID;

    ALTER TABLE model_versions ADD COLUMN genre_ids TEXT;
    ALTER TABLE import_runs ADD COLUMN owner TEXT;

    CREATE TABLE catalogue_locks (
      name TEXT PRIMARY KEY,
      pid INTEGER NOT NULL,
      host TEXT NOT NULL,
      started_at TEXT NOT NULL,
      heartbeat_at TEXT NOT NULL,
      detail TEXT
    ) STRICT;
  `,
  up(db: MigrationDb): void {
    // label_history stored names joined by "|" (null = not reviewed); label_changes stores states by id.
    const ids = new Map<string, number>();
    for (const row of db.prepare('SELECT id, name FROM genres').all() as { id: number; name: string }[]) ids.set(row.name.toLowerCase(), row.id);
    const state = (names: string | null): string => {
      if (names === null) return JSON.stringify({ reviewed: false, add: [], remove: [] });
      const genres = names === '' ? [] : names.split('|').flatMap((n) => (ids.has(n.trim().toLowerCase()) ? [ids.get(n.trim().toLowerCase()) as number] : []));
      return JSON.stringify({ reviewed: true, genres: [...new Set(genres)].sort((a, b) => a - b) });
    };
    const insert = db.prepare('INSERT INTO label_changes (id, poster_id, before, after, changed_at, reviewer) VALUES (?, ?, ?, ?, ?, ?)');
    const rows = db.prepare('SELECT id, poster_id, old_genres, new_genres, changed_at, reviewer FROM label_history ORDER BY id').all() as {
      id: number;
      poster_id: number;
      old_genres: string | null;
      new_genres: string | null;
      changed_at: string;
      reviewer: string | null;
    }[];
    for (const r of rows) insert.run(r.id, r.poster_id, state(r.old_genres), state(r.new_genres), r.changed_at, r.reviewer);
    db.exec('DROP TABLE label_history');
  },
};
