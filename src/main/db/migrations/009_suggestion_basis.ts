import type { Migration } from './index';

/**
 * What each poster's suggestions were based on (issue 13): the image always; the title and the
 * decade when the head read them. A poster without a row was scored before heads read titles,
 * by the image alone.
 */
export const migration009: Migration = {
  version: 9,
  name: 'suggestion basis',
  sql: `
    CREATE TABLE suggestion_basis (
      poster_id INTEGER PRIMARY KEY REFERENCES posters(id) ON DELETE CASCADE,
      model_version TEXT NOT NULL,
      title TEXT,
      decade INTEGER,
      created_at TEXT NOT NULL
    ) STRICT;
  `,
};
