import type { Migration } from './index';

/**
 * Review: a poster a reviewer is unsure about is flagged for later instead of guessed at. The flag
 * keeps it out of the way of the main queue and findable in its own ("Unsure") queue; confirming
 * its genres later settles it.
 */
export const migration008: Migration = {
  version: 8,
  name: 'review: unsure flags',
  sql: `
    CREATE TABLE review_flags (
      poster_id INTEGER PRIMARY KEY REFERENCES posters(id) ON DELETE CASCADE,
      flagged_at TEXT NOT NULL,
      reviewer TEXT
    ) STRICT;
  `,
};
