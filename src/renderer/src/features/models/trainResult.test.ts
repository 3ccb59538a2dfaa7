import { describe, expect, it } from 'vitest';
import type { MetricsSummary, ModelVersionInfo, TrainSummary } from '../../../../shared/types';
import { FEW_KEPT_OUT, fewKeptOutText, trainResultText } from './trainResult';

const scored = (microF1: number, n = 4): MetricsSummary => ({ n, microF1, macroF1: microF1, weightedF1: microF1, top3HitRate: 0.9, perGenre: [] });
const trained = (wins: boolean, activated: string | null = null, reviewed = 12): TrainSummary => ({
  status: 'succeeded',
  run: 2,
  versions: [{ version: 'v2', decade: null, kept: true }],
  reviewed,
  validation: 4,
  basePool: 3000,
  withoutFeatures: 0,
  wins,
  activated,
  candidate: scored(wins ? 0.5 : 0.4),
  active: scored(0.45),
  perDecade: [],
  decades: [],
  genres: [],
  seconds: 3.04,
});
/** v2 as the catalogue lists it after the retraining: trained while v1 was active. */
const listed = (active: boolean): ModelVersionInfo => ({
  version: 'v2',
  decade: null,
  run: 2,
  createdAt: '2026-12-07T10:00:00Z',
  active,
  kept: true,
  validation: { candidate: scored(0.4), active: scored(0.45) },
  activeAtTraining: ['v1'],
  perDecade: [],
  decades: [],
  shipped: null,
  counts: null,
});

describe('the last retraining’s result', () => {
  it('names the model it was compared with, the one active when it was trained', () => {
    expect(trainResultText(trained(false), listed(false), ['v1'], false)).toBe(
      'v2 trained on 12 reviewed posters in 3.0 s: it did not beat v1, the model active when it was trained, ' +
        'on the reviewed posters kept out to check it (40% of genres right against 45%).',
    );
    expect(trainResultText(trained(true), listed(false), ['v1'], true)).toBe(
      'v2 trained on 12 reviewed posters in 3.0 s: it beat v1, the model active when it was trained, ' +
        'on the reviewed posters kept out to check it (micro-F1 0.500 vs 0.450).',
    );
  });

  it('once the new version is activated, does not compare it with "the active model" (itself), and says it is active', () => {
    const text = trainResultText(trained(false), listed(true), ['v2'], false);
    expect(text).toBe(
      'v2 trained on 12 reviewed posters in 3.0 s: it did not beat v1, the model active when it was trained, ' +
        'on the reviewed posters kept out to check it (40% of genres right against 45%). It is the active model now.',
    );
    expect(text).not.toMatch(/the active model on/);
    expect(trainResultText(trained(true, 'v2'), listed(true), ['v2'], false)).toMatch(/ It was activated automatically and is the active model now\.$/);
  });

  it('says when an automatically activated version has since been replaced', () => {
    expect(trainResultText(trained(true, 'v2'), listed(false), ['v1'], false)).toMatch(/ It was activated automatically; v1 is active now\.$/);
  });

  it('before the list is read again, still says nothing untrue', () => {
    expect(trainResultText(trained(false), undefined, ['v1'], false)).toMatch(
      /^v2 trained on 12 reviewed posters in 3\.0 s: it did not beat the model active when it was trained, on the/,
    );
  });

  it('says when the posters kept out are too few to tell two models apart, and nothing when there are enough', () => {
    expect(fewKeptOutText(trained(true))).toBe(
      'Only 4 reviewed posters were kept out to check it: too few to tell the two models apart. Review more posters and retrain; from about 30 kept out, the comparison starts to mean something.',
    );
    expect(fewKeptOutText({ ...trained(true), candidate: scored(0.5, 1) })).toMatch(/^Only 1 reviewed poster was kept out/);
    expect(fewKeptOutText({ ...trained(true), candidate: scored(0.5, FEW_KEPT_OUT) })).toBeNull();
  });

  it('counts one reviewed poster as one', () => {
    expect(trainResultText(trained(false, null, 1), listed(false), ['v1'], false)).toMatch(/^v2 trained on 1 reviewed poster in/);
  });
});
