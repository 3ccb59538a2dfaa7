/**
 * Temporary files a killed process left behind. The export and the retraining write to
 * `<name>.<pid>.<suffix>` (an export `<name>.<pid>-<tag>.<suffix>`, one per export) and rename it
 * when done; a crash leaves the temporary file (an 83 MB half-written CSV was seen). They are swept
 * when the same kind of work starts again, only where the process that wrote them is gone, so a
 * second window exporting at the same time is left alone.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../jobs/catalogueLock';

/**
 * Removes `dir`'s `<prefix>.<pid>[-<tag>].<suffix>` files (any prefix when none is given) whose
 * writing process is dead; returns their names.
 */
export function sweepLeftovers(dir: string, suffix: string, prefix?: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // no folder yet: nothing left over
  }
  const swept: string[] = [];
  for (const name of names) {
    // `<prefix>.<pid>-<tag>.<suffix>`: one process writing several at once (exports).
    const parts = /^(.+)\.(\d+)(?:-[0-9a-z]+)?\.([^.]+)$/.exec(name);
    if (!parts || parts[3] !== suffix || (prefix !== undefined && parts[1] !== prefix)) continue;
    const pid = Number(parts[2]);
    if (pid === process.pid || processAlive(pid)) continue;
    try {
      rmSync(join(dir, name), { force: true });
      swept.push(name);
    } catch {
      // not ours to remove after all (permissions): it stays, as before
    }
  }
  return swept;
}
