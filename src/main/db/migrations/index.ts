import { migration001 } from './001_catalogue';
import { migration002 } from './002_labels_and_models';
import { migration003 } from './003_review_uncertainty';
import { migration004 } from './004_model_runs';

export interface Migration {
  /** Applied in order; recorded in PRAGMA user_version. Forward-only: there is no down(). */
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [migration001, migration002, migration003, migration004];
export const LATEST_SCHEMA_VERSION = migrations.length;
