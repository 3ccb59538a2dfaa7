import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { importSummaryOf } from '../../../../shared/testFixtures';
import type { ImportSummary } from '../../../../shared/types';
import { ImportReport } from './ImportReport';

const summary = (over: Partial<ImportSummary>): ImportSummary => importSummaryOf({ seconds: 2, ...over });
/** The report's text, and each figure by its test id. */
function render(s: ImportSummary) {
  const html = renderToStaticMarkup(createElement(ImportReport, { summary: s, tagging: true }));
  // MUI's emotion puts its CSS in <style> elements when rendered on a server.
  const text = html.replace(/<style[^>]*>[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, '');
  const figure = (id: string) => new RegExp(`data-testid="import-${id}">([^<]*)<`).exec(html)?.[1] ?? null;
  return { text, figure };
}

describe('the import report', () => {
  it('says how many files a cancelled import never reached, and that suggestions still under way go on', () => {
    const { text, figure } = render(summary({ status: 'cancelled', total: 301, imported: 140, nearDuplicates: 10, failed: 1, tagged: 88 }));
    expect(text).toMatch(/^Import cancelled — what was done is kept\. 301 files/);
    // 301 = 150 catalogued + 0 already here + 1 failed + 150 never read.
    expect(figure('not-reached')).toBe('150 files not reached');
    expect(text).toContain('import the folder again to catalogue them');
    expect(figure('not-suggested')).toBe(', 62 still being given theirs when the import was cancelled: that goes on in the background');
    expect(text).not.toContain('"tag"');
  });

  it('has no such lines when every file was read and every poster given suggestions, and lists failed suggestions', () => {
    const done = render(summary({ total: 12, imported: 10, alreadyPresent: 1, failed: 1, tagged: 10 }));
    expect(done.figure('not-reached')).toBeNull();
    expect(done.figure('not-suggested')).toBeNull();
    // Only a run that stopped early has files it never reached.
    expect(render(summary({ total: 12, imported: 10, tagged: 10 })).figure('not-reached')).toBeNull();
    const failing = render(summary({ total: 3, imported: 3, tagged: 2, tagFailures: [{ file: 'a.jpg', reason: 'the head could not be loaded' }] }));
    expect(failing.figure('not-suggested')).toBe(', 1 not (listed below)');
    expect(failing.text).toContain('catalogued, but no suggestions: the head could not be loaded');
    expect(failing.figure('earlier')).toBeNull();
  });

  it('tells files identical to another file of the same import apart from files already in the catalogue, naming both', () => {
    const { text, figure } = render(
      summary({
        total: 4,
        imported: 2,
        alreadyPresent: 2,
        tagged: 2,
        sameAsInRun: [{ file: '/scans/copy-of-vertigo.jpg', sameAs: '/scans/vertigo.jpg' }],
      }),
    );
    expect(figure('present')).toBe('1 already in the catalogue');
    expect(figure('same-as-in-run')).toBe('1 file identical to another file of this import');
    expect(text).toContain('/scans/copy-of-vertigo.jpg');
    expect(text).toContain('skipped: the same file as /scans/vertigo.jpg, which is catalogued');
    expect(render(summary({ total: 2, alreadyPresent: 2 })).figure('same-as-in-run')).toBeNull();
  });

  it('says how long a cancelled import ran until it was cancelled, not "to the last suggestion" (those go on)', () => {
    expect(render(summary({ status: 'cancelled', total: 3, imported: 1 })).text).toContain('(from start until it was cancelled)');
    expect(render(summary({ total: 3, imported: 3, tagged: 3 })).text).toContain('(from start to the last suggestion)');
  });

  it('says how many posters an earlier, interrupted run had left without suggestions were given theirs', () => {
    const { text, figure } = render(
      summary({ total: 5, alreadyPresent: 5, earlier: { tagged: 40, failures: [{ file: '/scans/gone.jpg', reason: 'the file is missing' }] } }),
    );
    expect(figure('earlier')).toMatch(/^40 posters catalogued earlier but left without suggestions .* given theirs now; 1 could not be \(listed below\)$/);
    expect(text).toContain('catalogued earlier, still no suggestions: the file is missing');
  });

  it('shows the sidecar warnings the command line prints (a Windows-1252 file, a year that is not one)', () => {
    const warned = render(
      summary({
        total: 3,
        imported: 3,
        tagged: 3,
        sidecarWarnings: ['labels.csv: not UTF-8; read as Windows-1252', 'labels.csv line 5: "19x5" is not a year; ignored'],
      }),
    );
    expect(warned.text).toContain('The sidecar files (titles and years) had problems');
    expect(warned.text).toContain('labels.csv line 5: &quot;19x5&quot; is not a year; ignored');
    expect(render(summary({ total: 3, imported: 3, tagged: 3 })).text).not.toContain('sidecar');
  });
});
