import { migration001 } from './001_catalogue';
import { migration002 } from './002_labels_and_models';
import { migration003 } from './003_review_uncertainty';
import { migration004 } from './004_model_runs';
import { migration005 } from './005_one_door';
import { migration006 } from './006_poster_crop';
import { migration007 } from './007_library_detail';
import { migration008 } from './008_review_flags';
import { migration009 } from './009_suggestion_basis';
import { migration010 } from './010_poster_layout';
import { migration011 } from './011_what_reviewers_saw';

/** What a migration's `up` may use: statements and exec, nothing of the application. */
export interface MigrationDb {
  exec(sql: string): unknown;
  prepare(sql: string): { run(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
}

export interface Migration {
  /** Applied in order; recorded in PRAGMA user_version. Forward-only: there is no down(). */
  version: number;
  name: string;
  sql: string;
  /** Data conversion after `sql`, in the same transaction. Frozen like the SQL: no live constants. */
  up?(db: MigrationDb): void;
}

export const migrations: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
];
/** The highest version, not the count: numbers were given out ahead, so they need not be contiguous. */
export const LATEST_SCHEMA_VERSION = Math.max(...migrations.map((m) => m.version));
