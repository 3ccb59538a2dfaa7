/** Genre-head versions: file, parameters, metrics, and which one is active (per decade; null = all decades). */
import type { Db } from '../db/open';
import { nowIso, prepared } from '../db/statements';

export interface ModelVersion {
  id: number;
  version: string;
  decade: number | null;
  file: string;
  createdAt: string;
  active: boolean;
  params: unknown;
  metrics: unknown;
  trainingCounts: unknown;
}

interface Row {
  id: number;
  version: string;
  decade: number | null;
  file: string;
  created_at: string;
  active: number;
  params: string | null;
  metrics: string | null;
  training_counts: string | null;
}

const parse = (s: string | null): unknown => (s ? JSON.parse(s) : null);
const toVersion = (r: Row): ModelVersion => ({
  id: r.id,
  version: r.version,
  decade: r.decade,
  file: r.file,
  createdAt: r.created_at,
  active: r.active === 1,
  params: parse(r.params),
  metrics: parse(r.metrics),
  trainingCounts: parse(r.training_counts),
});

export function findModelVersion(db: Db, version: string): ModelVersion | undefined {
  const row = prepared(db, 'SELECT * FROM model_versions WHERE version = ?').get(version) as Row | undefined;
  return row && toVersion(row);
}

export function activeModel(db: Db, decade: number | null = null): ModelVersion | undefined {
  const row = prepared(db, 'SELECT * FROM model_versions WHERE active = 1 AND decade IS ? ORDER BY id DESC LIMIT 1').get(decade) as
    | Row
    | undefined;
  return row && toVersion(row);
}

export function listModelVersions(db: Db): ModelVersion[] {
  return (prepared(db, 'SELECT * FROM model_versions ORDER BY id').all() as Row[]).map(toVersion);
}

export function registerModelVersion(
  db: Db,
  m: { version: string; decade: number | null; file: string; params?: unknown; metrics?: unknown; trainingCounts?: unknown },
): ModelVersion {
  prepared(
    db,
    `INSERT INTO model_versions (version, decade, file, created_at, params, metrics, training_counts) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(version) DO UPDATE SET file = excluded.file`,
  ).run(
    m.version,
    m.decade,
    m.file,
    nowIso(),
    m.params === undefined ? null : JSON.stringify(m.params),
    m.metrics === undefined ? null : JSON.stringify(m.metrics),
    m.trainingCounts === undefined ? null : JSON.stringify(m.trainingCounts),
  );
  return findModelVersion(db, m.version) as ModelVersion;
}

export function activateModelVersion(db: Db, version: string): void {
  db.transaction(() => {
    const m = findModelVersion(db, version);
    if (!m) throw new Error(`no model version ${version}`);
    prepared(db, 'UPDATE model_versions SET active = 0 WHERE decade IS ?').run(m.decade);
    prepared(db, 'UPDATE model_versions SET active = 1 WHERE id = ?').run(m.id);
  })();
}
