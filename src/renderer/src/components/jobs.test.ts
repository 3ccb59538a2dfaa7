import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { importSummaryOf } from '../../../shared/testFixtures';
import type { JobKind, JobProgress } from '../../../shared/types';
import { AFTER_CANCEL, JobBar } from './jobs';

const cancelled = (kind: JobKind): JobProgress =>
  ({
    jobId: 'j1',
    kind,
    state: 'cancelled',
    done: 150,
    total: 301,
    rate: 0,
    etaSeconds: null,
    seconds: 2,
    message: '',
    ...(kind === 'import' ? { result: importSummaryOf({ status: 'cancelled', total: 301, imported: 150, tagged: 150 }) } : {}),
  }) as JobProgress;
// MUI's emotion puts its CSS in <style> elements when rendered on a server.
const bar = (progress: JobProgress, reported = false, label = 'Working') =>
  renderToStaticMarkup(createElement(JobBar, { progress, label, reported })).replace(/<style[^>]*>[\s\S]*?<\/style>/g, '');

describe('the job bar after a cancel', () => {
  it('says a cancel once: its own notice only where no report follows', () => {
    expect(bar(cancelled('import'))).toContain(AFTER_CANCEL.import);
    expect(bar(cancelled('import'), true)).not.toContain(AFTER_CANCEL.import);
    // The line itself still says how the run ended.
    expect(bar(cancelled('import'), true)).toContain('Working: cancelled in 2.0 s');
  });

  it('says what each kind of job left: a cancelled retraining made nothing', () => {
    expect(bar(cancelled('train'))).toContain('No new model version was made; the active model is unchanged.');
    expect(bar(cancelled('export'))).toContain('No file was written.');
    expect(bar(cancelled('train'))).not.toContain('kept');
  });
});

const running = (kind: JobKind, done: number, total: number, message = '', rate = 0): JobProgress =>
  ({ jobId: 'j2', kind, state: 'running', done, total, rate, etaSeconds: null, etaSource: null, seconds: 1, message }) as JobProgress;
/** The bar's one line of words. */
const line = (progress: JobProgress, label: string) => /data-testid="job-\w+-line"[^>]*>([^<]*)</.exec(bar(progress, false, label))?.[1];

describe('the job bar while a job runs', () => {
  it('says what it counts: a retraining’s first step is "0 of 1 step", not "0 / 1"', () => {
    expect(line(running('train', 0, 1, 'Training on 12 reviewed posters'), 'Retraining')).toBe(
      'Retraining: 0 of 1 step · estimating time left… · Training on 12 reviewed posters',
    );
    expect(line(running('train', 12, 80, 'v2: epoch 12/40', 2.5), 'Retraining')).toMatch(/^Retraining: 12 of 80 steps · 2\.5 steps a second · /);
  });

  it('counts files while an import copies them, then posters while their suggestions are made', () => {
    expect(line(running('import', 12, 30, 'Importing 30 files', 3), 'Importing')).toMatch(/^Importing: 12 of 30 files · 3\.0 files a second/);
    expect(line(running('import', 5, 30, 'Genre suggestions for the new posters'), 'Importing')).toMatch(/^Importing: 5 of 30 posters/);
    expect(line(running('export', 120, 900), 'Exporting')).toMatch(/^Exporting: 120 of 900 posters/);
    expect(line(running('retag', 1, 1), 'Re-tagging')).toBe('Re-tagging: 1 of 1 poster');
  });

  it('says it is getting ready before it knows how much there is, instead of "0 / …"', () => {
    expect(line(running('import', 0, 0, 'Waiting: an import in another window'), 'Importing')).toBe(
      'Importing: getting ready · Waiting: an import in another window',
    );
  });
});
