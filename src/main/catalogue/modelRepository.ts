/** Genre-head versions: file, parameters, metrics, and which one is active (per decade; null = all decades). */
import { z } from 'zod';
import { existsSync } from 'node:fs';
import { basename, join, relative, isAbsolute } from 'node:path';
import type { Db } from '../db/open';
import { modelsDir } from '../inference/modelFiles';
import { modelVersionsDir } from '../paths';
import { nowIso, prepared } from '../db/statements';
import { AppError } from '../errors';

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
  /** Training run (0 = shipped); a run's decade heads are "kept" only when they beat its all-decades head. */
  run: number;
  kept: boolean;
  /** The genre id of each head output (null: a genre the catalogue does not have); null until known. */
  genreIds: (number | null)[] | null;
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
  run: number;
  kept: number;
  genre_ids: string | null;
}

/**
 * Model files are stored relative to where they live, so a moved installation or catalogue still
 * finds them: `shipped:<name>` under the application's models folder, `versions:<name>` under the
 * catalogue's own models folder. Older rows hold absolute paths; one that no longer exists is
 * looked for under the same name in those folders.
 */
const SHIPPED = 'shipped:';
const VERSIONS = 'versions:';

function storedFile(db: Db, file: string): string {
  const under = (dir: string) => {
    const rel = relative(dir, file);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : null;
  };
  const shipped = under(modelsDir());
  if (shipped) return SHIPPED + shipped;
  const own = under(modelVersionsDir(db.name));
  return own ? VERSIONS + own : file;
}

/** The model file a stored `file` value names, for a catalogue whose own models live in `versionsDir`. */
export function modelFileOf(stored: string, versionsDir: string): string {
  if (stored.startsWith(SHIPPED)) return join(modelsDir(), stored.slice(SHIPPED.length));
  if (stored.startsWith(VERSIONS)) return join(versionsDir, stored.slice(VERSIONS.length));
  if (existsSync(stored)) return stored;
  const candidates = [join(versionsDir, basename(stored)), join(modelsDir(), basename(stored))];
  return candidates.find((c) => existsSync(c)) ?? stored;
}

const resolveFile = (db: Db, stored: string): string => modelFileOf(stored, modelVersionsDir(db.name));

const parse = (s: string | null): unknown => (s ? JSON.parse(s) : null);
const toVersion = (db: Db, r: Row): ModelVersion => ({
  id: r.id,
  version: r.version,
  decade: r.decade,
  file: resolveFile(db, r.file),
  createdAt: r.created_at,
  active: r.active === 1,
  params: parse(r.params),
  metrics: parse(r.metrics),
  trainingCounts: parse(r.training_counts),
  run: r.run,
  kept: r.kept === 1,
  genreIds: r.genre_ids ? (JSON.parse(r.genre_ids) as (number | null)[]) : null,
});

export function findModelVersion(db: Db, version: string): ModelVersion | undefined {
  const row = prepared(db, 'SELECT * FROM model_versions WHERE version = ?').get(version) as Row | undefined;
  return row && toVersion(db, row);
}

export function activeModel(db: Db, decade: number | null = null): ModelVersion | undefined {
  const row = prepared(db, 'SELECT * FROM model_versions WHERE active = 1 AND decade IS ? ORDER BY id DESC LIMIT 1').get(decade) as Row | undefined;
  return row && toVersion(db, row);
}

export function listModelVersions(db: Db): ModelVersion[] {
  return (prepared(db, 'SELECT * FROM model_versions ORDER BY id').all() as Row[]).map((r) => toVersion(db, r));
}

export function registerModelVersion(
  db: Db,
  m: {
    version: string;
    decade: number | null;
    file: string;
    genreIds: (number | null)[];
    params?: unknown;
    metrics?: unknown;
    trainingCounts?: unknown;
    run?: number;
    kept?: boolean;
  },
): ModelVersion {
  prepared(
    db,
    `INSERT INTO model_versions (version, decade, file, created_at, params, metrics, training_counts, run, kept, genre_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(version) DO UPDATE SET file = excluded.file`,
  ).run(
    m.version,
    m.decade,
    storedFile(db, m.file),
    nowIso(),
    m.params === undefined ? null : JSON.stringify(m.params),
    m.metrics === undefined ? null : JSON.stringify(m.metrics),
    m.trainingCounts === undefined ? null : JSON.stringify(m.trainingCounts),
    m.run ?? 0,
    m.kept === false ? 0 : 1,
    JSON.stringify(m.genreIds),
  );
  return findModelVersion(db, m.version) as ModelVersion;
}

/** Records the genre id of each output of a head registered before ids were kept (matched by name once). */
export function setModelGenreIds(db: Db, version: string, genreIds: (number | null)[]): void {
  prepared(db, 'UPDATE model_versions SET genre_ids = ? WHERE version = ?').run(JSON.stringify(genreIds), version);
}

export function nextRun(db: Db): number {
  return (prepared(db, 'SELECT coalesce(max(run), 0) + 1 FROM model_versions').pluck().get() as number) ?? 1;
}

function requireVersion(db: Db, version: string): ModelVersion {
  const m = findModelVersion(db, version);
  if (!m) throw new AppError('model-not-found', `There is no model version "${version}" (see "models").`);
  return m;
}

/** Makes exactly these versions active and logs the set, so a rollback can return to it. */
function applyActiveSet(db: Db, versions: ModelVersion[], reason: string): void {
  prepared(db, 'UPDATE model_versions SET active = 0 WHERE active = 1').run();
  for (const m of versions) prepared(db, 'UPDATE model_versions SET active = 1 WHERE id = ?').run(m.id);
  prepared(db, 'INSERT INTO model_activations (activated_at, versions, reason) VALUES (?, ?, ?)').run(
    nowIso(),
    JSON.stringify(versions.map((m) => m.version)),
    reason,
  );
}

/**
 * Activates a version. An all-decades version comes with the decade heads of its own run that beat
 * it (and no others: older decade heads were measured against an older all-decades head); a
 * decade version replaces only its decade's head.
 */
export function activateModelVersion(db: Db, version: string, reason = `activated ${version}`): ModelVersion[] {
  return db.transaction(() => {
    const m = requireVersion(db, version);
    if (m.decade !== null && !m.kept) {
      throw new AppError('model-lost', `${version} did not beat the all-decades model on the ${m.decade}s' validation posters, so it is not used.`);
    }
    const all = listModelVersions(db);
    const set =
      m.decade === null
        ? [m, ...all.filter((v) => v.decade !== null && v.kept && m.run > 0 && v.run === m.run)]
        : [...all.filter((v) => v.active && v.decade !== m.decade), m];
    if (!set.some((v) => v.decade === null)) throw new AppError('model-no-base', 'No all-decades model is active; activate one first.');
    applyActiveSet(db, set, reason);
    return set;
  })();
}

export interface Activation {
  id: number;
  activatedAt: string;
  versions: string[];
  reason: string;
}

export function listActivations(db: Db): Activation[] {
  return (prepared(db, 'SELECT * FROM model_activations ORDER BY id').all() as { id: number; activated_at: string; versions: string; reason: string }[]).map(
    (r) => ({ id: r.id, activatedAt: r.activated_at, versions: JSON.parse(r.versions) as string[], reason: r.reason }),
  );
}

/**
 * A rollback's log entry starts with these words; rows written before rollbacks stepped back
 * through the log used the same words for the same act (undoing the latest activation), so the
 * whole log reads one way.
 */
const ROLLED_BACK = 'rolled back to ';
const sameSet = (a: Activation, b: Activation) => JSON.stringify([...a.versions].sort()) === JSON.stringify([...b.versions].sort());

/**
 * The activations still in force, oldest first, replayed from the log: an activation stacks on
 * the one before (unless it activates the very set already active), a rollback takes the top one
 * off and so returns to the one beneath. The top is what is active; a rollback returns to the one beneath it, so a second rollback
 * goes further back instead of toggling between two versions.
 */
export function activationStack(log: Activation[]): Activation[] {
  const stack: Activation[] = [];
  for (const a of log) {
    const top = stack.at(-1);
    const below = stack.at(-2);
    if (a.reason.startsWith(ROLLED_BACK) && below && sameSet(below, a)) stack.pop();
    // An activation, or a rollback the log cannot place (old rollbacks toggled): where things stand from now on.
    else if (!top || !sameSet(top, a)) stack.push(a);
  }
  return stack;
}

/** What a rollback would return to now (null: nothing earlier is in the log). */
export function rollbackTarget(db: Db): Activation | null {
  return activationStack(listActivations(db)).at(-2) ?? null;
}

/** Steps back through the activation log: to the set active before the activation now in force. */
export function rollbackModels(db: Db): ModelVersion[] {
  return db.transaction(() => {
    const previous = rollbackTarget(db);
    if (!previous) throw new AppError('nothing-to-roll-back', 'There is no earlier model to roll back to.');
    const set = previous.versions.map((v) => requireVersion(db, v));
    applyActiveSet(db, set, `${ROLLED_BACK}${previous.versions.join(', ')}`);
    return set;
  })();
}

export function getSetting(db: Db, key: string): string | undefined {
  return prepared(db, 'SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
}

/** A setting kept as JSON, read back through `schema`: null when it is absent, unreadable or of another shape. */
export function getJsonSetting<T>(db: Db, key: string, schema: z.ZodType<T>): T | null {
  const raw = getSetting(db, key);
  if (raw === undefined) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function setSetting(db: Db, key: string, value: string): void {
  prepared(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
