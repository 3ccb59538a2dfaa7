/**
 * Which backups to keep: the newest of each of the last 7 days that have one, the newest of each of
 * the last 4 weeks that have one, every pre-migration backup for a year, and the newest pre-restore
 * backup (so the latest restore can always be undone). Days and ISO weeks are counted in UTC.
 */
import type { BackupReason } from '../../shared/types';

export interface RotationPolicy {
  daily: number;
  weekly: number;
  preMigrationDays: number;
}

export const DEFAULT_ROTATION: RotationPolicy = { daily: 7, weekly: 4, preMigrationDays: 365 };

export interface Dated {
  name: string;
  createdAt: string;
  reason: BackupReason;
}

const DAY_MS = 86_400_000;

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
  for (const b of sorted) {
    if (b.reason === 'pre-migration' && now.getTime() - new Date(b.createdAt).getTime() < policy.preMigrationDays * DAY_MS) keep.add(b.name);
  }
  const latestPreRestore = sorted.find((b) => b.reason === 'pre-restore');
  if (latestPreRestore) keep.add(latestPreRestore.name);
  return { keep: sorted.filter((b) => keep.has(b.name)), remove: sorted.filter((b) => !keep.has(b.name)) };
}
