/** Where a worker thread's code lives: built beside the main bundle, or run from source through tsx. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Built: `out/main/<name>.js` beside the bundle (electron-vite builds each worker as its own main
 * entry). From source (tests, CLI and scripts under tsx): `<sourceDir>/<name>.ts` through tsx.
 */
export function startWorker(name: string, sourceUrl: string): Worker {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, `${name}.js`);
  if (existsSync(built)) return new Worker(built);
  return new Worker(join(dirname(fileURLToPath(sourceUrl)), `${name}.ts`), { execArgv: ['--import', 'tsx'] });
}
