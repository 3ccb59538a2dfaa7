/** Where a worker thread's code lives: built beside the main bundle, or run from source through tsx. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Built: `out/main/<name>.js` beside the bundle (electron-vite builds each worker as its own main
 * entry). From source (tests, CLI and scripts under tsx): `<sourceDir>/<name>.ts` through tsx.
 */
export function startWorker(name: string, sourceUrl: string): Worker {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, `${name}.js`);
  if (existsSync(built)) return new Worker(built);
  // tsx found from here, not from the folder the command was run in (`npm --prefix … run cli` from elsewhere).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return new Worker(join(dirname(fileURLToPath(sourceUrl)), `${name}.ts`), { execArgv: ['--import', tsx] });
}
