import { describe, expect, it } from 'vitest';
import type { MetricsSummary, ModelVersionInfo } from '../../../../shared/types';
import { activationWarning } from './VersionCard';

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
      'v2 was right less often than v1 on the 40 reviewed posters it was checked on (micro-F1 0.667 against 0.818). Its suggestions would likely get worse.',
    );
  });

  it('does not ask for a version that scored as well or better, or one never compared (the shipped model)', () => {
    expect(activationWarning(version(0.818))).toBeNull();
    expect(activationWarning(version(0.9))).toBeNull();
    expect(activationWarning(version(null))).toBeNull();
  });
});
