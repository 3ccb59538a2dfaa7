import type { Migration } from './index';

/**
 * The near-duplicate check's second cue (media/phash.ts `layoutFromGrey`): the poster's brightness
 * in an 8×8 grid, 64 bytes, made from the same pixels as `phash`. NULL for posters imported before
 * this: for them the hash alone decides, as it did.
 */
export const migration010: Migration = {
  version: 10,
  name: 'poster layout for near-duplicates',
  sql: `
    ALTER TABLE posters ADD COLUMN layout BLOB CHECK (layout IS NULL OR length(layout) = 64);
  `,
};
