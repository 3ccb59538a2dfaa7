import type { Migration } from './index';

/**
 * Retraining: each training run makes an all-decades head and decade heads (run number; a decade
 * head is "kept" only when it beat the all-decades head). Every activation is logged with the full
 * set of active versions, so rollback restores exactly what was active before. Settings hold the
 * user's choices, such as activating a new version automatically when it wins.
 */
export const migration004: Migration = {
  version: 4,
  name: 'model runs and activations',
  sql: `
    ALTER TABLE model_versions ADD COLUMN run INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE model_versions ADD COLUMN kept INTEGER NOT NULL DEFAULT 1;

    CREATE TABLE model_activations (
      id INTEGER PRIMARY KEY,
      activated_at TEXT NOT NULL,
      versions TEXT NOT NULL,
      reason TEXT NOT NULL
    ) STRICT;

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
  `,
};
