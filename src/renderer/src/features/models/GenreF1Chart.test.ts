import { describe, expect, it } from 'vitest';
import type { MetricsSummary } from '../../../../shared/types';
import { genreChartDescription } from './GenreF1Chart';

const metrics = (n: number, supports: number[]): MetricsSummary => ({
  n,
  microF1: 0.5,
  macroF1: 0.5,
  weightedF1: 0.5,
  top3HitRate: 0.9,
  perGenre: supports.map((support, i) => ({ genre: `G${i}`, f1: 0.5, support })),
});

describe('the chart of how often each genre is right', () => {
  it('counts one poster and one genre as one', () => {
    expect(genreChartDescription('v1', metrics(1, [1]))).toBe(
      'v1 checked on 1 reviewed poster kept out of its training; beside each genre, how many of them staff gave it. ' +
        '1 of 1 genre has fewer than 20: read its bar as rough.',
    );
  });

  it('counts several as several', () => {
    expect(genreChartDescription('v2', metrics(40, [3, 25, 0, 30]))).toBe(
      'v2 checked on 40 reviewed posters kept out of its training; beside each genre, how many of them staff gave it. ' +
        '1 of 3 genres has fewer than 20: read its bar as rough.',
    );
    expect(genreChartDescription('v2', metrics(40, [3, 4]))).toMatch(/ 2 of 2 genres have fewer than 20: read their bars as rough\.$/);
    expect(genreChartDescription('v2', metrics(40, [30]))).not.toMatch(/fewer/);
  });
});
