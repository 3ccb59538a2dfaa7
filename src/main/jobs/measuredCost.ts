/**
 * What a retraining cost last time, measured, so the next one's first ETA is a measurement scaled
 * to its size instead of a guess (or of a rate skewed by the worker's start-up). Kept per
 * catalogue in its settings.
 */
import { z } from 'zod';
import { getJsonSetting, setSetting } from '../catalogue/modelRepository';
import type { Db } from '../db/open';

const KEY = 'jobs.train.measured';
const stored = z.object({ seconds: z.number().positive(), reviewed: z.number().int().min(0), basePool: z.number().int().min(0) });
export type TrainCost = z.infer<typeof stored>;

export function lastTrainCost(db: Db): TrainCost | null {
  return getJsonSetting(db, KEY, stored);
}

export function recordTrainCost(db: Db, cost: TrainCost): void {
  setSetting(db, KEY, JSON.stringify(cost));
}

/**
 * The whole run's expected seconds: the last run's wall time per training example (reviewed
 * posters plus the base pool), times this run's examples. null when no run was measured yet.
 */
export function expectedTrainSeconds(last: TrainCost | null, reviewedNow: number): number | null {
  if (!last) return null;
  const examplesBefore = last.reviewed + last.basePool;
  if (examplesBefore === 0) return null;
  return (last.seconds * (reviewedNow + last.basePool)) / examplesBefore;
}
