import type { Migration } from './index';

/**
 * The review queue's "most uncertain first": how close a poster's nearest genre probability is to
 * that genre's threshold, written by the tagger (null until tagged). Indexed for the queue.
 */
export const migration003: Migration = {
  version: 3,
  name: 'review uncertainty',
  sql: `
    ALTER TABLE posters ADD COLUMN uncertainty REAL;
    CREATE INDEX posters_review_queue ON posters(reviewed_at, uncertainty);
  `,
};
