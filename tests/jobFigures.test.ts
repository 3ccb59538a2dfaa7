/**
 * The retraining's time left is measured, never guessed: the first run says nothing until it has
 * measured itself (no estimate skewed by the worker's start-up), and the next run's first
 * estimate is the last run's measured wall time per training example, scaled to this run.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listPosters } from '../src/main/catalogue/posterRepository';
import { expectedTrainSeconds, lastTrainCost } from '../src/main/jobs/measuredCost';
import { CatalogueService } from '../src/main/service';
import type { JobProgress } from '../src/shared/types';
import { copyPosters, tempDir } from './helpers';

describe('retraining figures', () => {
  const dir = tempDir();
  let service: CatalogueService;
  afterAll(async () => service?.close());

  const train = async () => {
    const events: { t: number; p: JobProgress }[] = [];
    const off = service.jobs.subscribe((p) => p.kind === 'train' && events.push({ t: performance.now(), p }));
    const started = performance.now();
    const { jobId, promise } = service.startTrain();
    const summary = await promise;
    off();
    return { events, seconds: (performance.now() - started) / 1000, summary, ended: service.jobs.list().find((j) => j.jobId === jobId) };
  };

  it('gives no ETA before measuring, then takes the next run’s first ETA from the last run’s measured cost', async () => {
    copyPosters(join(dir, 'in'));
    service = CatalogueService.open(join(dir, 'c.sqlite'));
    await service.startImport({ folder: join(dir, 'in') }).promise;
    // The import's throughput is kept in the catalogue: a service opened later on it (a new session) still has it.
    const kept = CatalogueService.open(join(dir, 'c.sqlite'));
    expect(kept.stats().throughput).toMatchObject({ kind: 'import' });
    expect(kept.stats().throughput?.postersPerSecond).toBeGreaterThan(0);
    expect(kept.stats().withoutSuggestions).toBe(0);
    await kept.close();
    const reviews = ['Comedy', 'Drama', 'Comedy|Horror', 'Drama|Romance', 'Horror', 'Action|Adventure'];
    listPosters(service.db, 0, reviews.length).forEach((p, i) => service.library.setLabels(p.id, (reviews[i] as string).split('|'), 'test'));
    expect(lastTrainCost(service.db)).toBeNull();

    const first = await train();
    // Nothing measured before: no ETA at all until this run has a second of its own rate.
    const firstEta = first.events.find((e) => e.p.etaSeconds !== null);
    expect(firstEta?.p.etaSource ?? 'measured').toBe('measured');
    expect(first.events.filter((e) => e.p.etaSource === 'previous-run')).toEqual([]);
    const cost = lastTrainCost(service.db);
    expect(cost?.reviewed).toBe(6);
    expect(cost?.seconds).toBeGreaterThan(0);
    expect(cost?.seconds).toBeLessThanOrEqual(first.seconds);
    // What it counted, as the job says: one getting-ready step, then training rounds (never guessed by a screen),
    // with steps in plain words.
    const units = first.events.filter((e) => e.p.state === 'running' && e.p.total > 0).map((e) => e.p.unit);
    expect(units.every((u) => u === 'step' || u === 'round')).toBe(true);
    expect(units.lastIndexOf('step')).toBeLessThan(units.includes('round') ? units.indexOf('round') : Infinity);
    expect(first.ended?.unit).toBe('round');
    for (const e of first.events) expect(e.p.message).not.toMatch(/epoch|head|\d\/\d/);

    // One more review: the next run is a little larger, and its first estimate says so.
    const seventh = listPosters(service.db, 6, 1)[0];
    service.library.setLabels(seventh?.id as number, ['Western'], 'test');
    const expected = expectedTrainSeconds(cost, 7) as number;
    expect(expected).toBeGreaterThan(cost?.seconds as number);
    const second = await train();
    const opening = second.events.find((e) => e.p.etaSeconds !== null);
    expect(opening?.p.etaSource).toBe('previous-run');
    // The estimate counts down from the measured cost (it is the expected total less the time already spent).
    expect((opening?.p.etaSeconds ?? 0) + (opening?.p.seconds ?? 0)).toBeCloseTo(expected, 0);
    // The figures for the report: what the first estimate said against what the run took.
    console.log(
      `retrain ETA: first run ${first.seconds.toFixed(1)} s (no estimate before measuring); second run first estimate ${(opening?.p.etaSeconds ?? 0).toFixed(1)} s, took ${second.seconds.toFixed(1)} s`,
    );
    // Its steps are too uneven for a rate to say the time left: only the last run's measured figure is given.
    expect([...first.events, ...second.events].filter((e) => e.p.etaSource === 'measured' && e.p.total > e.p.done)).toEqual([]);
    for (const e of [...first.events, ...second.events]) {
      if (e.p.state === 'running' && e.p.total > e.p.done && e.p.etaSeconds !== null) expect(e.p.etaSeconds).toBeGreaterThanOrEqual(1);
    }
  }, 240_000);
});
