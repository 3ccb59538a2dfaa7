/**
 * The last import or tag run's throughput, kept in the catalogue's settings. The job list forgets
 * a finished job after an hour (and a restart at once), and another process's run (the command line) is never in it: the
 * Models screen read its figure from there and so kept saying it would show "after the next run".
 */
import { z } from 'zod';
import type { Throughput } from '../../shared/throughput';
import { getJsonSetting, setSetting } from '../catalogue/modelRepository';
import type { Db } from '../db/open';

const KEY = 'jobs.throughput.last';
const stored = z.object({
  kind: z.enum(['import', 'tag']),
  posters: z.number().int().positive(),
  seconds: z.number().positive(),
  postersPerSecond: z.number().positive(),
});

export function readLastThroughput(db: Db): Throughput | null {
  return getJsonSetting(db, KEY, stored);
}

/**
 * Kept only when the run worked on a poster: a re-import of a folder already catalogued says nothing
 * about speed. Called after the run has ended, outside it: a figure that cannot be written (the
 * catalogue busy in another process) is let go, never thrown where nothing would catch it.
 */
export function recordThroughput(db: Db, throughput: Throughput | null): void {
  if (!throughput) return;
  try {
    setSetting(db, KEY, JSON.stringify(throughput));
  } catch (error) {
    console.warn(`The import's speed was not recorded: ${error instanceof Error ? error.message : String(error)}`);
  }
}
