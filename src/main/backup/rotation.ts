/**
 * Which backups the automatic rotation keeps:
 * - every backup the user asked for (Back up now, `backup`): only the user removes those;
 * - every backup of the last 48 hours, so a day of imports and retraining keeps each restore point
 *   (the morning's retraining is not replaced by the afternoon's);
 * - the newest of each of the last 7 days that have one, and of each of the last 4 ISO weeks;
 * - every pre-migration backup for a year, and the newest pre-restore backup (so the latest restore
 *   can always be undone).
 * Days and weeks that have no backup are not counted, so a catalogue left alone for a month still
 * keeps its last 7 days of work. Days and ISO weeks are counted in UTC.
 */
import type { BackupReason } from '../../shared/types';

export interface RotationPolicy {
  /** Every backup younger than this is kept, whatever its reason. */
  recentHours: number;
  daily: number;
  weekly: number;
  preMigrationDays: number;
}

export const DEFAULT_ROTATION: RotationPolicy = { recentHours: 48, daily: 7, weekly: 4, preMigrationDays: 365 };

export interface Dated {
  name: string;
  createdAt: string;
  reason: BackupReason;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const dayKey = (d: Date): string => d.toISOString().slice(0, 10);

/** ISO 8601 week, e.g. "2026-W47" (weeks start on Monday; week 1 holds the year's first Thursday). */
export function weekKey(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The newest backup of each of the first `count` distinct periods, newest first. */
function newestPerPeriod(sorted: Dated[], key: (d: Date) => string, count: number): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const b of sorted) {
    const k = key(new Date(b.createdAt));
    if (seen.has(k)) continue;
    seen.add(k);
    if (seen.size > count) break;
    kept.push(b.name);
  }
  return kept;
}

export function planRotation<T extends Dated>(backups: readonly T[], now: Date, policy: RotationPolicy = DEFAULT_ROTATION): { keep: T[]; remove: T[] } {
  const sorted = [...backups].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
  const keep = new Set<string>([...newestPerPeriod(sorted, dayKey, policy.daily), ...newestPerPeriod(sorted, weekKey, policy.weekly)]);
  const age = (b: Dated): number => now.getTime() - new Date(b.createdAt).getTime();
  for (const b of sorted) {
    // A backup someone asked for is one they mean to come back to; an automatic one never replaces it.
    if (b.reason === 'manual' || age(b) < policy.recentHours * HOUR_MS) keep.add(b.name);
    if (b.reason === 'pre-migration' && age(b) < policy.preMigrationDays * DAY_MS) keep.add(b.name);
  }
  const latestPreRestore = sorted.find((b) => b.reason === 'pre-restore');
  if (latestPreRestore) keep.add(latestPreRestore.name);
  return { keep: sorted.filter((b) => keep.has(b.name)), remove: sorted.filter((b) => !keep.has(b.name)) };
}
