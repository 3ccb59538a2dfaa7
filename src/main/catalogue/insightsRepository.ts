/**
 * The Insights screen's counts: the catalogue by decade, vendor and genre, reviews per day (from
 * the label change log, so undone confirmations do not count), and where the model is least sure
 * (posters.uncertainty: the distance of a poster's nearest genre probability from its threshold).
 */
import type { Insights } from '../../shared/types';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { CURRENT_GENRES_SQL } from './filterSql';

/** Within this distance of a threshold a poster counts as one the model is unsure about (the library's "low" confidence). */
export const UNSURE_WITHIN = 0.05;
const UNCERTAINTY_EDGES = [0, UNSURE_WITHIN, 0.1, 0.2, 0.3];

type Slice = { posters: number; reviewed: number };

export function catalogueByDecade(db: Db): Insights['byDecade'] {
  return prepared(
    db,
    'SELECT decade, count(*) AS posters, count(reviewed_at) AS reviewed FROM posters GROUP BY decade ORDER BY decade IS NULL, decade',
  ).all() as (Slice & { decade: number | null })[];
}

export function catalogueByVendor(db: Db): Insights['byVendor'] {
  return prepared(
    db,
    'SELECT vendor, count(*) AS posters, count(reviewed_at) AS reviewed FROM posters GROUP BY vendor ORDER BY posters DESC, vendor IS NULL, vendor',
  ).all() as (Slice & { vendor: string | null })[];
}

/** Each genre's posters as the library shows them: the confirmed set once reviewed, else suggestions with staff's edits. */
export function catalogueByGenre(db: Db): Insights['byGenre'] {
  const genres = prepared(db, 'SELECT name FROM genres WHERE retired_at IS NULL ORDER BY position').pluck().all() as string[];
  const counts = new Map(genres.map((g) => [g, { genre: g, confirmed: 0, suggested: 0 }]));
  const rows = prepared(db, `SELECT p.reviewed_at IS NOT NULL AS reviewed, ${CURRENT_GENRES_SQL} AS genres FROM posters p`).all() as {
    reviewed: number;
    genres: string | null;
  }[];
  for (const r of rows) {
    for (const name of r.genres?.split('|') ?? []) {
      const c = counts.get(name);
      if (c) c[r.reviewed ? 'confirmed' : 'suggested']++;
    }
  }
  return [...counts.values()];
}

/**
 * Where days begin: minutes east of UTC (one offset for every date), or an IANA zone such as
 * 'Europe/Paris', whose offset on each date is its own (a review in summer is placed by summer time
 * even when the screen is opened in winter).
 */
export type DayZone = number | string;

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The local calendar day (YYYY-MM-DD) of an ISO time in `zone`. */
export function localDay(iso: string, zone: DayZone): string {
  if (typeof zone === 'number') return new Date(Date.parse(iso) + zone * 60_000).toISOString().slice(0, 10);
  let format = dayFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(zone, format);
  }
  const part = (parts: Intl.DateTimeFormatPart[], type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const parts = format.formatToParts(new Date(iso));
  return `${part(parts, 'year').padStart(4, '0')}-${part(parts, 'month')}-${part(parts, 'day')}`;
}

/**
 * The last `days` local days up to `now`: confirmations per reviewer that still stand, and how
 * many posters were reviewed at each day's end (posters reviewed now, by when they were reviewed).
 */
export function reviewsPerDay(db: Db, days: number, zone: DayZone, now = new Date()): Insights['days'] {
  const today = localDay(now.toISOString(), zone);
  const list = Array.from({ length: days }, (_, i) => new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
  // Two days before the window's first day in UTC cover every zone (±14 h): rows are then placed by their local day.
  const since = new Date(Date.parse(`${list[0]}T00:00:00Z`) - 2 * 86_400_000).toISOString();
  const confirmations = prepared(
    db,
    `SELECT changed_at, reviewer FROM label_changes
     WHERE changed_at >= ? AND undone_at IS NULL AND json_extract(after, '$.reviewed') = 1`,
  ).all(since) as { changed_at: string; reviewer: string | null }[];
  const byDay = new Map(list.map((d) => [d, new Map<string | null, number>()]));
  for (const c of confirmations) {
    const perReviewer = byDay.get(localDay(c.changed_at, zone));
    if (perReviewer) perReviewer.set(c.reviewer, (perReviewer.get(c.reviewer) ?? 0) + 1);
  }
  const reviewedAt = prepared(db, 'SELECT reviewed_at FROM posters WHERE reviewed_at IS NOT NULL').pluck().all() as string[];
  const reviewedDays = reviewedAt.map((t) => localDay(t, zone)).sort();
  let k = 0;
  return list.map((day) => {
    while (k < reviewedDays.length && (reviewedDays[k] as string) <= day) k++;
    const perReviewer = byDay.get(day) ?? new Map<string | null, number>();
    return { day, confirmed: [...perReviewer].map(([reviewer, count]) => ({ reviewer, count })), reviewedTotal: k };
  });
}

/** Unreviewed posters by distance from a threshold, in bands (the last open-ended; null: not tagged yet). */
export function uncertaintyBands(db: Db): Insights['uncertainty'] {
  const values = prepared(db, 'SELECT uncertainty FROM posters WHERE reviewed_at IS NULL').pluck().all() as (number | null)[];
  const bands: Insights['uncertainty'] = UNCERTAINTY_EDGES.map((from, i) => ({ from, to: UNCERTAINTY_EDGES[i + 1] ?? null, posters: 0 }));
  bands.push({ from: null, to: null, posters: 0 });
  for (const u of values) {
    const band = u === null ? bands.at(-1) : bands.findLast((b) => b.from !== null && u >= b.from);
    if (band) band.posters++;
  }
  return bands;
}

export function unsureByDecade(db: Db): Insights['unsureByDecade'] {
  return prepared(
    db,
    `SELECT decade, count(*) AS unreviewed, count(CASE WHEN uncertainty < ? THEN 1 END) AS unsure
     FROM posters WHERE reviewed_at IS NULL GROUP BY decade ORDER BY decade IS NULL, decade`,
  ).all(UNSURE_WITHIN) as Insights['unsureByDecade'];
}

/** When staff last changed a label (a confirmation, an edit or an undo); null when never. */
export function latestLabelChangeAt(db: Db): string | null {
  return (prepared(db, "SELECT max(max(changed_at), coalesce(max(undone_at), '')) FROM label_changes").pluck().get() as string | null) || null;
}

export function insights(db: Db, days: number, zone: DayZone, now = new Date()): Insights {
  const one = (sql: string): number => prepared(db, sql).pluck().get() as number;
  return {
    byDecade: catalogueByDecade(db),
    byVendor: catalogueByVendor(db),
    byGenre: catalogueByGenre(db),
    days: reviewsPerDay(db, days, zone, now),
    posters: one('SELECT count(*) FROM posters'),
    reviewed: one('SELECT count(*) FROM posters WHERE reviewed_at IS NOT NULL'),
    uncertainty: uncertaintyBands(db),
    unsureByDecade: unsureByDecade(db),
  };
}
