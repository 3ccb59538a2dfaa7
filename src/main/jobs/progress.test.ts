import { describe, expect, it, vi } from 'vitest';
import { FINISHED_LISTED_MS, JobManager } from './jobManager';
import { ProgressMeter, type Estimate } from './progress';

/** A meter on a clock the test moves by hand (milliseconds). */
function meterAt(expectedSeconds: number | null = null) {
  let now = 0;
  const meter = new ProgressMeter(5_000, () => now, expectedSeconds);
  return { meter, at: (ms: number, done: number, total: number) => ((now = ms), meter.update(done, total)) };
}

/** Readings once a second of a job whose steps alternate between ten quick ones and ten slow ones (a retraining's heads). */
function unevenRun() {
  const { at } = meterAt();
  return unevenReadings(at);
}

function unevenReadings(at: (ms: number, done: number, total: number) => Estimate) {
  const total = 120;
  const steps: number[] = [];
  for (let i = 0; i < total; i++) steps.push(Math.floor(i / 10) % 2 === 0 ? 200 : 900);
  const ends = steps.map((_, i) => steps.slice(0, i + 1).reduce((a, b) => a + b, 0));
  const readings: { t: number; eta: number | null; rate: number; left: number }[] = [];
  at(0, 0, total);
  let done = 0;
  for (let t = 250; done < total; t += 250) {
    while (done < total && (ends[done] as number) <= t) done++;
    const e = at(t, done, total);
    if (t % 1_000 === 0 && done < total) readings.push({ t, eta: e.etaSeconds, rate: e.rate, left: total - done });
  }
  return readings;
}

describe('ProgressMeter', () => {
  it('says nothing (estimating) until two seconds of this run have been measured, then gives the measured rate', () => {
    const { at } = meterAt();
    expect(at(0, 0, 100)).toMatchObject({ etaSeconds: null, etaSource: null });
    expect(at(1_000, 20, 100).etaSeconds).toBeNull();
    const e = at(2_000, 40, 100);
    expect(e.rate).toBeCloseTo(20);
    expect(e.etaSeconds).toBeCloseTo(3);
    expect(e.etaSource).toBe('measured');
  });

  it('gives no ETA until enough of the work is done: 1 % after three seconds is too little to go on', () => {
    const { at } = meterAt();
    at(0, 0, 1_000);
    expect(at(3_000, 10, 1_000).etaSeconds).toBeNull();
    expect(at(6_000, 40, 1_000).etaSeconds).toBeNull();
    // 5 % done: now it is measured.
    const measured = at(8_000, 50, 1_000).etaSeconds as number;
    expect(measured).toBeGreaterThan(130);
    expect(measured).toBeLessThan(190); // 950 left at 5 to 7 a second
    // A slow job that never reaches 5 % in ten seconds still gets one then.
    const slow = meterAt();
    slow.at(0, 0, 1_000);
    for (let t = 1_000; t < 10_000; t += 1_000) expect(slow.at(t, t / 1_000, 1_000).etaSeconds).toBeNull();
    expect(slow.at(10_000, 10, 1_000).etaSeconds).toBeCloseTo(990, -1);
  });

  it('keeps the ETA steady through uneven steps: each second it falls by about a second, never jumping (the 32 → 43 → 24 s seen)', () => {
    const readings = unevenRun().filter((r) => r.eta !== null) as { t: number; eta: number }[];
    expect(readings.length).toBeGreaterThan(40);
    const jumps = readings.slice(1).map((r, i) => Math.abs(r.eta - ((readings[i] as { eta: number }).eta - 1)));
    // Against counting down with the clock, a reading moves by at most a few seconds…
    // (Kept within 20 % of the work left over the shown rate, it moves a little more than pure smoothing would.)
    expect(Math.max(...jumps)).toBeLessThan(8);
    // …and never goes up by more than a few seconds at once.
    const rises = readings.slice(1).map((r, i) => r.eta - (readings[i] as { eta: number }).eta);
    expect(Math.max(...rises)).toBeLessThan(7);
  });

  it('follows a lasting change of pace: the job slows to half speed and the ETA gets there within forty seconds', () => {
    const { at } = meterAt();
    at(0, 0, 600);
    for (let t = 1_000; t <= 20_000; t += 1_000) at(t, t / 100, 600); // 10 a second
    let e = at(20_000, 200, 600);
    expect(e.etaSeconds).toBeCloseTo(40, 0);
    for (let t = 21_000; t <= 60_000; t += 1_000) e = at(t, 200 + (t - 20_000) / 200, 600); // 5 a second
    // 200 left at 5 a second.
    expect(e.rate).toBeGreaterThanOrEqual(5);
    expect(e.rate).toBeLessThan(5.5);
    expect(e.etaSeconds).toBeGreaterThan(35);
    expect(e.etaSeconds).toBeLessThan(42);
  });

  it('never says under 1 s while work remains, even after a burst of instant items', () => {
    const { at } = meterAt();
    at(0, 0, 122);
    at(1_000, 95, 122); // files already in the catalogue fly by
    const e = at(2_100, 121, 122);
    expect(e.etaSeconds).toBeGreaterThanOrEqual(1);
    expect(at(2_200, 122, 122).etaSeconds).toBe(0);
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
    at(11_000, 100, 400);
    at(11_500, 150, 400);
    const e = at(12_000, 200, 400);
    expect(e.rate).toBeCloseTo(99.5, 0);
    expect(e.etaSeconds).toBeCloseTo(2, 0);
  });

  it("uses the previous run's measured duration until this run has its own, and never past it", () => {
    const { at } = meterAt(12);
    expect(at(0, 0, 1)).toMatchObject({ etaSeconds: 12, etaSource: 'previous-run' });
    expect(at(4_000, 0, 1)).toMatchObject({ etaSeconds: 8, etaSource: 'previous-run' });
    expect(at(12_500, 0, 1)).toMatchObject({ etaSeconds: null, etaSource: null });
  });
});

describe('ProgressMeter: an ETA that agrees with its rate', () => {
  it('never contradicts the rate it shows: "4 of 25 steps · 0.3 steps a second" is not "3 min 9 s left"', () => {
    // A retraining-like run: four slow steps (the big head), then 21 quick ones.
    const { at } = meterAt();
    at(0, 0, 25);
    const readings: Estimate[] = [];
    let t = 0;
    for (let done = 1; done <= 4; done++) readings.push(at((t += 6_000), done, 25));
    for (let done = 5; done < 25; done++) readings.push(at((t += 250), done, 25));
    for (const [i, r] of readings.entries()) {
      if (r.etaSeconds === null) continue;
      const left = 25 - (i + 1);
      const byRate = left / r.rate;
      expect(r.etaSeconds).toBeLessThanOrEqual(Math.max(1, byRate * 1.2) + 1e-9);
      expect(r.etaSeconds).toBeGreaterThanOrEqual(Math.min(byRate / 1.2, Math.max(1, byRate / 1.2)) - 1e-9);
    }
    // The uneven run of the test above too, at every reading.
    const uneven = unevenRun().filter((r) => r.eta !== null) as { eta: number; rate: number; left: number }[];
    for (const r of uneven) expect(r.eta / (r.left / r.rate)).toBeGreaterThanOrEqual(1 / 1.2 - 1e-9);
    for (const r of uneven) expect(r.eta / (r.left / r.rate)).toBeLessThanOrEqual(1.2 + 1e-9);
  });

  it("gives no measured ETA for a job whose steps are too uneven to measure, only the previous run's", () => {
    let now = 0;
    const meter = new ProgressMeter(5_000, () => now, 30, false);
    const at = (ms: number, done: number) => ((now = ms), meter.update(done, 25));
    expect(at(0, 0)).toMatchObject({ etaSeconds: 30, etaSource: 'previous-run' });
    for (let t = 1_000; t <= 20_000; t += 1_000) expect(at(t, t / 1_000).etaSource).toBe('previous-run');
    // Past what the last run took: nothing, rather than a rate's guess.
    expect(at(31_000, 24)).toMatchObject({ etaSeconds: null, etaSource: null });
    const first = new ProgressMeter(5_000, () => now, null, false);
    now = 0;
    first.update(0, 25);
    now = 10_000;
    expect(first.update(12, 25)).toMatchObject({ etaSeconds: null, etaSource: null });
  });

  it('counts in the import\'s genre suggestions still to make, not only its files ("1 s left" with 2.5 s to go)', () => {
    let now = 0;
    const meter = new ProgressMeter(5_000, () => now);
    // 100 files at 50 a second; each becomes a poster to suggest genres for, made at 20 a second.
    let e!: Estimate;
    for (let t = 0; t <= 1_900; t += 100) {
      now = t;
      const files = t / 20;
      e = meter.update(files, 100, { done: Math.min(files, t / 50), total: files });
    }
    // 95 files read, 38 posters suggested: 57 queued and 5 files to come, at 20 a second ≈ 3.1 s.
    now = 2_000;
    e = meter.update(100 - 5, 100, { done: 40, total: 95 });
    expect(e.etaSource).toBe('measured');
    expect(e.etaSeconds).toBeGreaterThan(2.5);
    expect(e.etaSeconds).toBeLessThan(4);
    // Without the follow-on, the files alone would say 1 s.
    expect(new ProgressMeter(5_000, () => now).update(95, 100).etaSeconds).toBeNull();
  });
});

describe('JobManager progress', () => {
  it('measures a stuck job again while it reports nothing, and clears the last step message when it ends', async () => {
    const jobs = new JobManager(0, 50);
    const seen: { etaSeconds: number | null; message: string; state: string; seconds?: number }[] = [];
    jobs.subscribe((p) => seen.push(p));
    let release!: () => void;
    const { promise } = jobs.start('export', async ({ onProgress }) => {
      onProgress(1, 3, 'poster', 'Finishing genre suggestions');
      await new Promise<void>((resolve) => (release = resolve));
      onProgress(3, 3, 'poster');
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

  it('passes on what each report counts, as the job says it: nothing while it waits, then files, then posters', async () => {
    const jobs = new JobManager(0, 1_000);
    const seen: { done: number; total: number; unit: string | null; message: string }[] = [];
    jobs.subscribe(({ done, total, unit, message }) => seen.push({ done, total, unit, message }));
    const { promise } = jobs.start('export', async ({ onProgress }) => {
      onProgress(0, 0, null, 'Waiting for another import');
      onProgress(2, 5, 'file', 'Importing 5 files');
      onProgress(1, 4, 'poster', 'Genre suggestions for the new posters');
      return { file: 'x.csv', rows: 0 };
    });
    expect(jobs.list()[0]?.unit).toBe('poster');
    await promise;
    expect(seen.slice(0, 3)).toEqual([
      { done: 0, total: 0, unit: null, message: 'Waiting for another import' },
      { done: 2, total: 5, unit: 'file', message: 'Importing 5 files' },
      { done: 1, total: 4, unit: 'poster', message: 'Genre suggestions for the new posters' },
    ]);
  });

  it("lists a finished job for an hour, long past a background tab's minute-long timer, then forgets it", async () => {
    vi.useFakeTimers();
    try {
      const jobs = new JobManager(0, 1_000);
      const { jobId, promise } = jobs.start('export', async () => ({ file: 'x.csv', rows: 0 }));
      await promise;
      vi.advanceTimersByTime(5 * 60_000);
      expect(jobs.list().find((j) => j.jobId === jobId)?.state).toBe('succeeded');
      expect(jobs.get(jobId)).toMatchObject({ state: 'succeeded', result: { file: 'x.csv', rows: 0 } });
      vi.advanceTimersByTime(FINISHED_LISTED_MS);
      expect(jobs.list().find((j) => j.jobId === jobId)).toBeUndefined();
      expect(jobs.get(jobId)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
