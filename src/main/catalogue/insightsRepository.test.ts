import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, testPoster } from '../../../tests/helpers';
import { createHandlers, dispatch } from '../handlers';
import { CatalogueService } from '../service';
import { findGenreByName } from './genreRepository';
import { catalogueByGenre, insights, latestLabelChangeAt, localDay, reviewsPerDay, uncertaintyBands } from './insightsRepository';
import { insertPoster } from './posterRepository';
import { replaceSuggestions } from './suggestionRepository';

let service: CatalogueService;
afterEach(async () => service?.close());

const POSTERS: { year: number | null; vendor: string | null }[] = [
  { year: 1955, vendor: 'Acme' },
  { year: 1958, vendor: 'Acme' },
  { year: 1962, vendor: 'Acme' },
  { year: 1962, vendor: 'Bolt' },
  { year: null, vendor: null },
];

function catalogue(): number[] {
  service = CatalogueService.open(join(tempDir(), 'c.sqlite'));
  return POSTERS.map((p, i) =>
    insertPoster(service.db, testPoster(i, { year: p.year, decade: p.year === null ? null : p.year - (p.year % 10), vendor: p.vendor })),
  );
}
const genreId = (name: string) => findGenreByName(service.db, name)?.id as number;
const suggest = (posterId: number, names: string[], uncertainty: number) =>
  replaceSuggestions(
    service.db,
    posterId,
    'm1',
    names.map((n) => ({ genreId: genreId(n), probability: 0.8, aboveThreshold: true })),
    uncertainty,
  );
/** Moves poster `id`'s latest label change (and its review time) to `at`. */
const backdate = (id: number, at: string) => {
  service.db.prepare('UPDATE label_changes SET changed_at = ? WHERE id = (SELECT max(id) FROM label_changes WHERE poster_id = ?)').run(at, id);
  service.db.prepare('UPDATE posters SET reviewed_at = ? WHERE id = ? AND reviewed_at IS NOT NULL').run(at, id);
};

describe('insights', () => {
  it('breaks the catalogue down by decade, vendor and genre, as the library shows genres', () => {
    const [a, b, c, d] = catalogue() as [number, number, number, number];
    suggest(a, ['Horror', 'Comedy'], 0.01);
    suggest(b, ['Horror'], 0.3);
    suggest(c, ['Drama'], 0.12);
    service.library.setLabels(d, ['Horror', 'Drama'], 'ann');
    // Staff removed Comedy from a's suggestions without reviewing it: a counts as Horror only.
    service.library.bulk([a], 'remove-genre', 'Comedy', 'ann');
    const result = insights(service.db, 7, 0);
    expect(result.byDecade).toEqual([
      { decade: 1950, posters: 2, reviewed: 0 },
      { decade: 1960, posters: 2, reviewed: 1 },
      { decade: null, posters: 1, reviewed: 0 },
    ]);
    expect(result.byVendor).toEqual([
      { vendor: 'Acme', posters: 3, reviewed: 0 },
      { vendor: 'Bolt', posters: 1, reviewed: 1 },
      { vendor: null, posters: 1, reviewed: 0 },
    ]);
    const byGenre = new Map(catalogueByGenre(service.db).map((g) => [g.genre, g]));
    expect(byGenre.get('Horror')).toEqual({ genre: 'Horror', confirmed: 1, suggested: 2 });
    expect(byGenre.get('Drama')).toEqual({ genre: 'Drama', confirmed: 1, suggested: 1 });
    expect(byGenre.get('Comedy')).toEqual({ genre: 'Comedy', confirmed: 0, suggested: 0 });
    expect(result.byGenre.map((g) => g.genre).slice(0, 3)).toEqual(['Action', 'Adventure', 'Animation']); // vocabulary order
    expect([result.posters, result.reviewed]).toEqual([5, 1]);
    // a is within 0.05 of a threshold, c within 0.1–0.2, b at 0.3 or more, e never tagged.
    expect(uncertaintyBands(service.db).map((band) => [band.from, band.to, band.posters])).toEqual([
      [0, 0.05, 1],
      [0.05, 0.1, 0],
      [0.1, 0.2, 1],
      [0.2, 0.3, 0],
      [0.3, null, 1],
      [null, null, 1],
    ]);
    expect(result.unsureByDecade).toEqual([
      { decade: 1950, unreviewed: 2, unsure: 1 },
      { decade: 1960, unreviewed: 1, unsure: 0 },
      { decade: null, unreviewed: 1, unsure: 0 },
    ]);
  });

  it('counts confirmations per day and reviewer that still stand, in the caller’s time zone, and the reviewed total at each day’s end', () => {
    const [a, b, c, d] = catalogue() as [number, number, number, number];
    expect(latestLabelChangeAt(service.db)).toBeNull();
    service.library.setLabels(a, ['Horror'], 'ann');
    backdate(a, '2026-11-19T10:00:00.000Z');
    service.library.setLabels(b, ['Drama'], 'ann');
    backdate(b, '2026-11-20T09:00:00.000Z');
    service.library.setLabels(c, ['Drama'], 'bob');
    backdate(c, '2026-11-20T23:30:00.000Z'); // 21 November at UTC+1
    service.library.setLabels(d, ['Comedy'], 'bob');
    service.library.undo(d); // undone: not a confirmation that stands
    const now = new Date('2026-11-21T12:00:00.000Z');
    const utc = reviewsPerDay(service.db, 3, 0, now);
    expect(utc.map((x) => x.day)).toEqual(['2026-11-19', '2026-11-20', '2026-11-21']);
    expect(utc.map((x) => x.confirmed)).toEqual([
      [{ reviewer: 'ann', count: 1 }],
      [
        { reviewer: 'ann', count: 1 },
        { reviewer: 'bob', count: 1 },
      ],
      [],
    ]);
    expect(utc.map((x) => x.reviewedTotal)).toEqual([1, 3, 3]);
    const paris = reviewsPerDay(service.db, 3, 60, now);
    expect(paris.map((x) => x.confirmed.map((r) => `${r.reviewer}:${r.count}`))).toEqual([['ann:1'], ['ann:1'], ['bob:1']]);
    expect(paris.map((x) => x.reviewedTotal)).toEqual([1, 2, 3]);
    expect(localDay('2026-11-20T23:30:00.000Z', -300)).toBe('2026-11-20');
    // A named zone places the same rows as its winter offset does in November.
    expect(reviewsPerDay(service.db, 3, 'Europe/Paris', now)).toEqual(paris);
    expect(latestLabelChangeAt(service.db)).not.toBeNull();
  });

  it('places each review by its own date’s offset in a named zone (summer time), which one offset cannot', () => {
    const [a, b] = catalogue() as [number, number];
    service.library.setLabels(a, ['Horror'], 'ann');
    backdate(a, '2026-07-20T22:30:00.000Z'); // 21 July, 00:30 in Paris (UTC+2 in summer)
    service.library.setLabels(b, ['Drama'], 'ann');
    backdate(b, '2026-11-20T22:30:00.000Z'); // 20 November, 23:30 in Paris (UTC+1 in winter)
    const now = new Date('2026-11-21T12:00:00.000Z');
    const days = reviewsPerDay(service.db, 140, 'Europe/Paris', now);
    const count = (day: string) => days.find((x) => x.day === day)?.confirmed.reduce((s, r) => s + r.count, 0);
    expect([count('2026-07-20'), count('2026-07-21'), count('2026-11-20')]).toEqual([0, 1, 1]);
    // Today's offset (+60) puts the summer review on the wrong day.
    const winter = reviewsPerDay(service.db, 140, 60, now);
    expect(winter.find((x) => x.day === '2026-07-20')?.confirmed).toEqual([{ reviewer: 'ann', count: 1 }]);
    expect(localDay('2026-03-29T00:30:00.000Z', 'Europe/Paris')).toBe('2026-03-29');
    expect(localDay('2026-01-01T04:59:00.000Z', 'America/New_York')).toBe('2025-12-31');
  });

  it('answers through the one door, and refuses arguments out of range', async () => {
    catalogue();
    const handlers = createHandlers(service);
    const answer = await dispatch(handlers, 'insights:get', { days: 14, tzOffsetMinutes: -300 });
    expect(answer).toMatchObject({ ok: true, value: { posters: 5, reviewed: 0 } });
    expect(answer.ok && (answer.value as { days: unknown[] }).days).toHaveLength(14);
    expect(await dispatch(handlers, 'insights:get', { days: 0 })).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    expect(await dispatch(handlers, 'insights:get', { days: 7, tzOffsetMinutes: 5000 })).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    expect(await dispatch(handlers, 'insights:get', { days: 7, timeZone: 'Europe/Paris' })).toMatchObject({ ok: true });
    expect(await dispatch(handlers, 'insights:get', { days: 7, timeZone: 'Mars/Olympus_Mons' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-arguments' },
    });
  });
});
