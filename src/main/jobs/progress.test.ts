import { describe, expect, it } from 'vitest';
import { JobManager } from './jobManager';
import { ProgressMeter } from './progress';

/** A meter on a clock the test moves by hand (milliseconds). */
function meterAt(expectedSeconds: number | null = null) {
  let now = 0;
  const meter = new ProgressMeter(5_000, () => now, expectedSeconds);
  return { meter, at: (ms: number, done: number, total: number) => ((now = ms), meter.update(done, total)) };
}

describe('ProgressMeter', () => {
  it('says nothing (estimating) until a second of this run has been measured, then gives the measured rate', () => {
    const { at } = meterAt();
    expect(at(0, 0, 100)).toMatchObject({ etaSeconds: null, etaSource: null });
    expect(at(500, 10, 100).etaSeconds).toBeNull();
    const e = at(1_000, 20, 100);
    expect(e.rate).toBeCloseTo(20);
    expect(e.etaSeconds).toBeCloseTo(4);
    expect(e.etaSource).toBe('measured');
  });

  it('never says under 1 s while work remains, even after a burst of instant items', () => {
    const { at } = meterAt();
    at(0, 0, 122);
    at(1_000, 95, 122); // files already in the catalogue fly by
    const e = at(1_100, 121, 122);
    expect(e.etaSeconds).toBeGreaterThanOrEqual(1);
    expect(at(1_200, 122, 122).etaSeconds).toBe(0);
  });

  it('drops the ETA of a stuck job once a whole window passes without progress (96/122 stays 96/122)', () => {
    const { at } = meterAt();
    at(0, 0, 122);
    for (let t = 250; t <= 4_000; t += 250) at(t, Math.round((96 * t) / 4_000), 122);
    expect(at(4_000, 96, 122).etaSeconds).toBeGreaterThan(0);
    // No more progress; time passes (the job manager measures again every second).
    let last = at(5_000, 96, 122);
    for (let t = 6_000; t <= 10_000; t += 1_000) last = at(t, 96, 122);
    expect(last).toMatchObject({ rate: 0, etaSeconds: null, etaSource: null });
  });

  it('measures a new phase afresh: a slow start-up step does not make the first real estimate huge', () => {
    const { at } = meterAt();
    at(0, 0, 1); // "Training on 12 reviewed posters": one preparation step
    // The worker starts, loads the base pool and reports epochs only ten seconds later.
    expect(at(10_000, 1, 400).etaSeconds).toBeNull();
    at(10_500, 50, 400);
    const e = at(11_000, 100, 400);
    expect(e.rate).toBeCloseTo(99, 0);
    expect(e.etaSeconds).toBeCloseTo(3, 0);
  });

  it("uses the previous run's measured duration until this run has its own, and never past it", () => {
    const { at } = meterAt(12);
    expect(at(0, 0, 1)).toMatchObject({ etaSeconds: 12, etaSource: 'previous-run' });
    expect(at(4_000, 0, 1)).toMatchObject({ etaSeconds: 8, etaSource: 'previous-run' });
    expect(at(12_500, 0, 1)).toMatchObject({ etaSeconds: null, etaSource: null });
  });
});

describe('JobManager progress', () => {
  it('measures a stuck job again while it reports nothing, and clears the last step message when it ends', async () => {
    const jobs = new JobManager(0, 50);
    const seen: { etaSeconds: number | null; message: string; state: string; seconds?: number }[] = [];
    jobs.subscribe((p) => seen.push(p));
    let release!: () => void;
    const { promise } = jobs.start('export', async ({ onProgress }) => {
      onProgress(1, 3, 'Finishing genre suggestions');
      await new Promise<void>((resolve) => (release = resolve));
      onProgress(3, 3);
      return { file: 'x.csv', rows: 3 };
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.length).toBeGreaterThan(3); // ticks while nothing was reported
    expect(seen.every((p) => p.etaSeconds === null || p.etaSeconds >= 1)).toBe(true);
    release();
    await promise;
    const end = seen.at(-1);
    expect(end).toMatchObject({ state: 'succeeded', message: '', etaSeconds: null });
    expect(end?.seconds).toBeGreaterThanOrEqual(0.3);
    const count = seen.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(seen.length).toBe(count); // no ticks after the end
  });
});
