import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { MetricsSummary, ModelVersionInfo } from '../../../../shared/types';
import { activationWarning, VersionCard } from './VersionCard';

const scored = (microF1: number): MetricsSummary => ({ n: 40, microF1, macroF1: microF1, weightedF1: microF1, top3HitRate: 0.9, perGenre: [] });
const version = (candidate: number | null, active = 0.818): ModelVersionInfo => ({
  version: 'v2',
  decade: null,
  run: 2,
  createdAt: '2026-12-07T10:00:00Z',
  active: false,
  kept: true,
  validation: candidate === null ? null : { candidate: scored(candidate), active: scored(active) },
  activeAtTraining: ['v1'],
  perDecade: [],
  decades: [],
  shipped: null,
  counts: null,
});

describe('activating a version', () => {
  it('asks first when the version scored below the one active when it was trained, and says by how much', () => {
    expect(activationWarning(version(0.667))).toBe(
      'v2 was right less often than v1 on the 40 reviewed posters it was checked on (67% of genres right against 82%). Its suggestions would likely get worse.',
    );
  });

  it('after another version was activated, says the comparison was with the one active then, not with what it would replace', () => {
    expect(activationWarning(version(0.667), ['v3'])).toBe(
      'v2 was right less often than v1 on the 40 reviewed posters it was checked on (67% of genres right against 82%). ' +
        'v1 was active when v2 was trained; v3 is active now and was not compared with it.',
    );
    expect(activationWarning(version(0.667), ['v1'])).toMatch(/Its suggestions would likely get worse\.$/);
  });

  it('does not ask for a version that scored as well or better, or one never compared (the shipped model)', () => {
    expect(activationWarning(version(0.818))).toBeNull();
    expect(activationWarning(version(0.9))).toBeNull();
    expect(activationWarning(version(null))).toBeNull();
  });
});

/** The card's words as a person reads them (tags, and MUI's <style> elements, dropped). */
const words = (v: ModelVersionInfo, exact: boolean) =>
  renderToStaticMarkup(createElement(VersionCard, { v, exact, busy: false, onActivate: () => undefined }))
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('a version’s scores', () => {
  const trained: ModelVersionInfo = {
    ...version(0.4301, 0.4),
    counts: { reviewed: 12, validation: 4, pool: 3000, perGenre: [{ genre: 'Drama', reviewed: 4, pool: 300, needs: 0 }], perDecade: {} },
  };

  it('lead with plain words and percentages, not micro-F1 to three decimals', () => {
    const text = words(trained, false);
    expect(text).toContain('Genres right');
    expect(text).toContain('Rare genres right');
    expect(text).toContain('Top-3 guess right');
    expect(text).toContain('43% ▲');
    expect(text).toContain('checked on 40 reviewed posters kept out of its training');
    expect(text).toContain('Learned from 12 reviewed posters (4 of them kept out to check it) and 3000 research posters');
    expect(text).not.toMatch(/micro-F1|macro-F1|0\.430|validation|base-pool|Positives/);
  });

  it('give the exact figures under their technical names when asked', () => {
    const text = words(trained, true);
    expect(text).toContain('micro-F1');
    expect(text).toContain('0.430 ▲');
    expect(text).toContain('on 40 reviewed validation posters');
  });

  it('count one poster and one decade as one', () => {
    const one: ModelVersionInfo = {
      ...trained,
      validation: { candidate: { ...scored(0.5), n: 1 }, active: { ...scored(0.4), n: 1 } },
      perDecade: [{ decade: 1950, n: 1, candidate: { ...scored(0.5), n: 1 }, active: { ...scored(0.4), n: 1 } }],
      counts: { reviewed: 1, validation: 1, pool: 1, perGenre: [], perDecade: {} },
    };
    const text = words(one, false);
    expect(text).toContain('checked on 1 reviewed poster kept out of its training');
    expect(text).toContain('(0 of 1 decade has enough)');
    expect(text).toContain('Learned from 1 reviewed poster (1 of them kept out to check it) and 1 research poster.');
    expect(words(one, true)).toContain('on 1 reviewed validation poster ');
    expect(words(one, true)).toContain('Trained on 1 reviewed poster (1 held out) + 1 base-pool poster.');
    expect(text).not.toMatch(/\b1 (reviewed |research |base-pool )?posters|\b1 decades/);
  });

  it('name the version each decade’s score is compared with', () => {
    const text = words({ ...trained, perDecade: [{ decade: 1950, n: 30, candidate: scored(0.5), active: scored(0.4) }] }, false);
    expect(text).toContain('v1 (active when trained)');
    expect(text).toContain('(1 of 1 decade has enough)');
  });

  it('say the shipped model’s research figures in words too', () => {
    const shipped = { ...version(null), shipped: { microF1: 0.512, macroF1: 0.301, top3HitRate: 0.877 } } as ModelVersionInfo;
    expect(words(shipped, false)).toContain(
      'Shipped model. Checked on research posters it did not learn from: Genres right 51%, rare genres right 30%, top-3 guess right 88%.',
    );
    expect(words(shipped, true)).toContain('micro-F1 0.512');
  });
});
