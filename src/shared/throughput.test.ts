import { describe, expect, it } from 'vitest';
import { lastThroughput } from './throughput';
import { importSummaryOf } from './testFixtures';
import type { ImportSummary, JobProgress, TagSummary } from './types';

const importRun = (over: Partial<ImportSummary>): JobProgress => {
  const result = importSummaryOf(over);
  // `rate` counts every file stepped past, skipped ones included: what the screen must not show.
  return {
    jobId: 'i',
    kind: 'import',
    state: 'succeeded',
    done: result.total,
    total: result.total,
    unit: 'file',
    rate: 4368,
    etaSeconds: null,
    message: '',
    result,
  };
};
const tagRun = (over: Partial<TagSummary>): JobProgress => {
  const result: TagSummary = { status: 'succeeded', total: 0, tagged: 0, fromCache: 0, failed: 0, failures: [], seconds: 1, ...over };
  return {
    jobId: 't',
    kind: 'tag',
    state: 'succeeded',
    done: result.total,
    total: result.total,
    unit: 'poster',
    rate: 999,
    etaSeconds: null,
    message: '',
    result,
  };
};

describe('lastThroughput', () => {
  it('counts the posters a run decoded over its whole time, not the files it skipped', () => {
    const first = importRun({ total: 120, imported: 100, nearDuplicates: 20, seconds: 40 });
    expect(lastThroughput([first])).toEqual({ kind: 'import', posters: 120, seconds: 40, postersPerSecond: 3 });
    // The same folder imported again: every file already present, nothing decoded. The first run still stands.
    const again = importRun({ total: 120, alreadyPresent: 120, seconds: 0.03 });
    expect(lastThroughput([first, again])?.postersPerSecond).toBe(3);
    expect(lastThroughput([again])).toBeNull();
  });
  it('takes the last import or tag run that worked on posters, and skips running and failed ones', () => {
    const tag = tagRun({ total: 50, tagged: 50, seconds: 10 });
    const running: JobProgress = { jobId: 'r', kind: 'import', state: 'running', done: 3, total: 9, unit: 'file', rate: 2, etaSeconds: 3, message: '' };
    const train: JobProgress = { jobId: 'x', kind: 'train', state: 'succeeded', done: 1, total: 1, unit: 'round', rate: 1, etaSeconds: null, message: '' };
    expect(lastThroughput([importRun({ imported: 10, seconds: 5 }), tag, running, train])).toEqual({
      kind: 'tag',
      posters: 50,
      seconds: 10,
      postersPerSecond: 5,
    });
    expect(lastThroughput([tag, importRun({ imported: 10, seconds: 5 })])?.kind).toBe('import');
    expect(lastThroughput([tagRun({ total: 4, failed: 4, seconds: 2 })])).toBeNull();
  });
});
