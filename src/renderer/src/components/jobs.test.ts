import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { importSummaryOf } from '../../../shared/testFixtures';
import type { JobKind, JobProgress, ProgressUnit } from '../../../shared/types';
import { AFTER_CANCEL, formatDuration, formatSeconds, JobBar, lostJobMessage, speed, timeLeft } from './jobs';

const cancelled = (kind: JobKind): JobProgress =>
  ({
    jobId: 'j1',
    kind,
    state: 'cancelled',
    done: 150,
    total: 301,
    unit: kind === 'import' ? 'file' : 'poster',
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

const running = (kind: JobKind, done: number, total: number, unit: ProgressUnit | null, message = '', rate = 0): JobProgress =>
  ({ jobId: 'j2', kind, state: 'running', done, total, unit, rate, etaSeconds: null, etaSource: null, seconds: 1, message }) as JobProgress;
/** The bar's one line of words. */
const line = (progress: JobProgress, label: string) => /data-testid="job-\w+-line"[^>]*>([^<]*)</.exec(bar(progress, false, label))?.[1];

describe('the job bar while a job runs', () => {
  it('says what it counts: a retraining’s first step is "0 of 1 step", not "0 / 1", then its rounds', () => {
    expect(line(running('train', 0, 1, 'step', 'Training on 12 reviewed posters'), 'Retraining')).toBe(
      'Retraining: 0 of 1 step · estimating time left… · Training on 12 reviewed posters',
    );
    expect(line(running('train', 12, 80, 'round', 'all-decades model, round 12 of 40', 2.5), 'Retraining')).toMatch(
      /^Retraining: 12 of 80 rounds · 2\.5 rounds a second · .* · all-decades model, round 12 of 40$/,
    );
  });

  it('counts in the unit the job names, whatever its message says', () => {
    expect(line(running('import', 12, 30, 'file', 'Importing 30 files', 3), 'Importing')).toMatch(/^Importing: 12 of 30 files · 3\.0 files a second/);
    expect(line(running('import', 5, 30, 'poster', 'Genre suggestions for the new posters'), 'Importing')).toMatch(/^Importing: 5 of 30 posters/);
    // A reworded message changes nothing: the bar reads the unit, not the words.
    expect(line(running('import', 5, 30, 'poster', 'Suggesting genres'), 'Importing')).toMatch(/^Importing: 5 of 30 posters/);
    expect(line(running('import', 5, 30, 'file', 'Copying the suggestion sheets'), 'Importing')).toMatch(/^Importing: 5 of 30 files/);
    expect(line(running('export', 120, 900, 'poster'), 'Exporting')).toMatch(/^Exporting: 120 of 900 posters/);
    expect(line(running('retag', 1, 1, 'poster'), 'Re-tagging')).toBe('Re-tagging: 1 of 1 poster');
    expect(line(running('rebuild', 3, 40, 'poster', 'Thumbnails', 1.5), 'Rebuilding')).toMatch(
      /^Rebuilding: 3 of 40 posters · 1\.5 posters a second · .* · Thumbnails$/,
    );
  });

  it('says it is getting ready before it knows how much there is, instead of "0 / …"', () => {
    expect(line(running('import', 0, 0, null, 'Waiting: an import in another window'), 'Importing')).toBe(
      'Importing: getting ready · Waiting: an import in another window',
    );
  });
});

describe('times said in whole units', () => {
  it('rounds before splitting into minutes and seconds: never "60 s" or "2 min 60 s"', () => {
    expect(formatSeconds(59.4)).toBe('59 s');
    expect(formatSeconds(59.6)).toBe('1 min');
    expect(formatSeconds(61.2)).toBe('1 min 1 s');
    expect(formatSeconds(119.7)).toBe('2 min');
    expect(formatSeconds(179.5)).toBe('3 min');
    expect(formatSeconds(150.4)).toBe('2 min 30 s');
    expect(formatSeconds(3599.4)).toBe('59 min 59 s');
    expect(formatSeconds(3599.5)).toBe('1 h');
    expect(formatSeconds(7199.6)).toBe('2 h');
    expect(formatSeconds(5430)).toBe('1 h 31 min');
    expect(formatSeconds(null)).toBe('…');
  });

  it('says the time left the same way', () => {
    const left = (etaSeconds: number) => timeLeft({ ...running('export', 10, 900, 'poster'), etaSeconds, etaSource: 'measured' } as JobProgress);
    expect(left(119.7)).toBe('2 min left');
    expect(left(59.6)).toBe('1 min left');
    expect(left(0.2)).toBe('1 s left');
    expect(formatDuration(59.6)).toBe('1 min');
  });
});

describe('how fast a job goes', () => {
  it('says the time one unit takes when less than a tenth is done each second, not "0.0 rounds a second"', () => {
    expect(speed(0.04, 'round')).toBe('about 25 s per round');
    expect(speed(0.005, 'poster')).toBe('about 3 min 20 s per poster');
    expect(speed(0.1, 'round')).toBe('0.1 rounds a second');
    expect(speed(2.5, 'round')).toBe('2.5 rounds a second');
    expect(speed(0, 'round')).toBe('');
    expect(line(running('train', 3, 40, 'round', '', 0.02), 'Retraining')).toMatch(/^Retraining: 3 of 40 rounds · about 50 s per round · /);
  });
});

describe('a job whose host went away', () => {
  it('says in plain words that it did not finish, and what was kept, whether the host stopped or was started again', () => {
    expect(lostJobMessage('train', 'restarted')).toBe(
      'Poster Catalogue was restarted while the retraining was running, so it did not finish. No new model version was made; the active model is unchanged.',
    );
    expect(lostJobMessage('import', 'stopped')).toBe(
      'Poster Catalogue stopped while the import was running, so it did not finish. The posters catalogued so far are kept.',
    );
  });

  it('shows as failed, with no Cancel, saying why once', () => {
    const lost = { ...running('train', 5, 40, 'round'), state: 'failed', message: lostJobMessage('train', 'restarted') } as JobProgress;
    const html = bar(lost, false, 'Retraining');
    expect(line(lost, 'Retraining')).toBe('Retraining: failed');
    expect(html).toContain('was restarted while the retraining was running');
    expect(html).not.toContain('Cancel');
  });
});
