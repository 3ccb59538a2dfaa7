/** `stats` says which feature model runs and why; POSTER_CATALOGUE_EP=cpu-fp32 forces fp32 for comparison. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/main/db/open';
import { cpuFeaturePrecision } from '../src/main/inference/session';
import { tempDir } from './helpers';

const ROOT = join(import.meta.dirname, '..');
const stats = (env: NodeJS.ProcessEnv, json = true) => {
  const db = join(tempDir(), 'c.sqlite');
  openDatabase(db).close(); // an empty catalogue: "stats" reports on one that exists
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/cli/main.ts'), 'stats', ...(json ? ['--json'] : [])], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, POSTER_CATALOGUE_DB: db, ...env },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};

describe('feature model precision in stats', () => {
  it('reports the precision the session factory chose for this CPU, with the reason', () => {
    const expected = cpuFeaturePrecision(undefined);
    const out = stats({ POSTER_CATALOGUE_EP: 'cpu' }, false);
    expect(out).toContain(`Feature model precision: ${expected.precision} (${expected.reason})`);
  });

  it('runs fp32 when the environment forces it', () => {
    const inference = JSON.parse(stats({ POSTER_CATALOGUE_EP: 'cpu-fp32' }).trim().split('\n').at(-1) ?? '').inference;
    expect(inference).toMatchObject({ provider: 'cpu', featurePrecision: 'fp32', precisionReason: 'forced by POSTER_CATALOGUE_EP=cpu-fp32' });
  });
});
