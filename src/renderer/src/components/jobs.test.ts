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
const bar = (progress: JobProgress, reported = false) =>
  renderToStaticMarkup(createElement(JobBar, { progress, label: 'Working', reported })).replace(/<style[^>]*>[\s\S]*?<\/style>/g, '');

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
