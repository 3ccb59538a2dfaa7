import { createElement, type FunctionComponent } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Insights, MetricsSummary, ModelVersionInfo } from '../../../../shared/types';
import { ByDecade, ByVendor } from './CatalogueCharts';
import { LeastSure, QualityOverTime } from './QualityCharts';
import { Progress, Throughput } from './ReviewCharts';

/** A chart card's words as a person reads them (tags, and MUI's <style> elements, dropped). */
const words = <P extends object>(component: FunctionComponent<P>, props: P) =>
  renderToStaticMarkup(createElement(component, props))
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

/** A catalogue of one poster, one vendor, one decade, one reviewer and one retrained version. */
const one: Insights = {
  byDecade: [{ decade: 1950, posters: 1, reviewed: 0 }],
  byVendor: [{ vendor: 'Acme', posters: 1, reviewed: 0 }],
  byGenre: [],
  days: [{ day: '2026-12-07', confirmed: [{ reviewer: 'Ann', count: 1 }], reviewedTotal: 0 }],
  posters: 1,
  reviewed: 0,
  uncertainty: [{ from: 0, to: 0.05, posters: 1 }],
  unsureByDecade: [{ decade: 1950, unreviewed: 1, unsure: 1 }],
};
const scored = (n: number): MetricsSummary => ({ n, microF1: 0.5, macroF1: 0.5, weightedF1: 0.5, top3HitRate: 0.9, perGenre: [] });
const run: ModelVersionInfo = {
  version: 'v1',
  decade: null,
  run: 1,
  createdAt: '2026-12-07T10:00:00Z',
  active: true,
  kept: true,
  validation: { candidate: scored(1), active: scored(1) },
  activeAtTraining: ['shipped'],
  perDecade: [],
  decades: [],
  shipped: null,
  counts: null,
};

describe('the Insights charts’ words', () => {
  it('count one of a thing as one', () => {
    const text = [
      words(Progress, { data: one }),
      words(Throughput, { data: one.days }),
      words(ByDecade, { data: one.byDecade }),
      words(ByVendor, { data: one.byVendor }),
      words(LeastSure, { data: one }),
      words(QualityOverTime, { runs: [run] }),
    ].join(' ');
    expect(text).toContain('0 of 1 poster reviewed');
    expect(text).toContain('1 confirmation in the last 1 days by 1 reviewer');
    expect(text).toContain('1 poster in 1 decade group,');
    expect(text).toContain('1 vendor, largest first');
    expect(text).toContain('1 poster not reviewed, by how close its most doubtful genre is');
    expect(text).toContain('1 is within 0.05');
    expect(text).toContain('1 of 1 version was checked on fewer than 20');
    expect(text).not.toMatch(/\b1 (posters|confirmations|reviewers|vendors|versions|decade groups)\b|\b1 are\b/);
  });

  it('and several as several', () => {
    const many = Array.from({ length: 13 }, (_, i) => ({ vendor: `V${i}`, posters: 13 - i, reviewed: 0 }));
    expect(words(ByVendor, { data: many })).toContain('13 vendors, largest first');
    expect(words(QualityOverTime, { runs: [run, { ...run, version: 'v2' }] })).toContain('2 of 2 versions were checked on fewer than 20');
  });
});
