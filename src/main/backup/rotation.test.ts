import { describe, expect, it } from 'vitest';
import type { BackupReason } from '../../shared/types';
import { planRotation, weekKey } from './rotation';

const at = (iso: string, reason: BackupReason = 'daily') => ({ name: `${iso}-${reason}`, createdAt: new Date(iso).toISOString(), reason });

describe('rotation', () => {
  it('counts ISO weeks (Monday first; week 1 holds the first Thursday)', () => {
    expect(weekKey(new Date('2026-01-01T12:00:00Z'))).toBe('2026-W01'); // a Thursday
    expect(weekKey(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01'); // Monday of 2025's first week
    expect(weekKey(new Date('2021-01-03T23:59:59Z'))).toBe('2020-W53'); // a Sunday
    expect(weekKey(new Date('2026-11-22T00:00:00Z'))).toBe('2026-W47');
    expect(weekKey(new Date('2026-11-23T00:00:00Z'))).toBe('2026-W48');
  });

  it('of automatic backups: all of the last 48 hours, the newest of the last 7 days and 4 weeks, pre-migration ones for a year, the latest pre-restore', () => {
    const now = new Date('2026-11-22T18:00:00Z'); // a Sunday
    const backups = [];
    // 60 days, three automatic backups a day (08:00 after an import, 12:00 after retraining, 17:00 daily)
    for (let d = 0; d < 60; d++) {
      const day = new Date(now.getTime() - d * 86_400_000).toISOString().slice(0, 10);
      backups.push(at(`${day}T08:00:00Z`, 'after-import'), at(`${day}T12:00:00Z`, 'after-retrain'), at(`${day}T17:00:00Z`));
    }
    backups.push(at('2026-06-01T09:00:00Z', 'pre-migration'), at('2025-11-01T09:00:00Z', 'pre-migration')); // 174 and 386 days old
    backups.push(at('2026-10-01T09:00:00Z', 'pre-restore'), at('2026-10-05T09:00:00Z', 'pre-restore'));
    const { keep, remove } = planRotation(backups, now);
    expect(keep.map((b) => b.name)).toEqual([
      // every backup of the last 48 hours
      ...['22', '21'].flatMap((d) => [`2026-11-${d}T17:00:00Z-daily`, `2026-11-${d}T12:00:00Z-after-retrain`, `2026-11-${d}T08:00:00Z-after-import`]),
      // the newest of each of the last 7 days (Nov 16–22; Nov 16–22 is ISO week 47 too)
      ...['20', '19', '18', '17', '16'].map((d) => `2026-11-${d}T17:00:00Z-daily`),
      '2026-11-15T17:00:00Z-daily', // week 46
      '2026-11-08T17:00:00Z-daily', // week 45
      '2026-11-01T17:00:00Z-daily', // week 44
      '2026-10-05T09:00:00Z-pre-restore', // the latest pre-restore backup
      '2026-06-01T09:00:00Z-pre-migration', // under a year old
    ]);
    expect(keep.length + remove.length).toBe(backups.length);
    expect(remove.map((b) => b.name)).toContain('2025-11-01T09:00:00Z-pre-migration');
    expect(remove.map((b) => b.name)).toContain('2026-10-01T09:00:00Z-pre-restore');
  });

  it('never removes a backup the user asked for, and keeps every backup of the last 48 hours', () => {
    const now = new Date('2026-11-22T18:00:00Z');
    const backups = [
      at('2026-11-22T07:00:00Z', 'after-retrain'), // the morning's restore point…
      at('2026-11-22T09:00:00Z', 'manual'), // Back up now…
      at('2026-11-22T15:00:00Z', 'after-retrain'), // …then a later retraining
      at('2026-11-22T17:00:00Z', 'after-import'), // …and an import the same day
      at('2026-11-21T19:00:00Z', 'daily'),
      at('2026-11-21T08:00:00Z', 'after-import'),
      at('2024-03-01T12:00:00Z', 'manual'), // asked for long ago
    ];
    expect(planRotation(backups, now).remove).toEqual([]);
    // three days on, those days keep their newest backup, and the manual ones
    const later = planRotation(backups, new Date('2026-11-25T18:00:00Z'));
    expect(later.keep.map((b) => b.name)).toEqual([
      '2026-11-22T17:00:00Z-after-import',
      '2026-11-22T09:00:00Z-manual',
      '2026-11-21T19:00:00Z-daily',
      '2024-03-01T12:00:00Z-manual',
    ]);
  });

  it('with gaps, counts days and weeks that have a backup, not calendar days', () => {
    const now = new Date('2026-11-22T18:00:00Z');
    const backups = ['2026-11-22', '2026-11-02', '2026-10-01', '2026-08-15', '2026-05-05', '2026-01-01', '2025-06-01', '2024-01-01'].map((d) =>
      at(`${d}T10:00:00Z`),
    );
    const { keep } = planRotation(backups, now, { recentHours: 0, daily: 7, weekly: 4, preMigrationDays: 365 });
    expect(keep.map((b) => b.createdAt.slice(0, 10))).toEqual([
      '2026-11-22',
      '2026-11-02',
      '2026-10-01',
      '2026-08-15',
      '2026-05-05',
      '2026-01-01',
      '2025-06-01',
    ]);
    expect(planRotation(backups, now, { recentHours: 0, daily: 2, weekly: 3, preMigrationDays: 365 }).keep).toHaveLength(3);
  });
});
