/**
 * Whether out/ (electron-vite's build) is older than what it is built from. By modification
 * time: a clone, checkout, pull or edit touches what it changes, and a build rewrites every output.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What the build reads: the sources (tests aside), its config, the dependency set. */
export const BUILD_INPUTS = ['src', 'electron.vite.config.ts', 'tsconfig.json', 'package.json', 'package-lock.json'];
/** One file per electron-vite target; a build that failed part-way leaves one of them old or missing. */
export const BUILD_OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

/** The most recently modified input file, or null when there is none. */
function newestInput(root: string): { file: string; mtimeMs: number } | null {
  let newest: { file: string; mtimeMs: number } | null = null;
  const pending = BUILD_INPUTS.map((input) => join(root, input));
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) pending.push(...readdirSync(path).map((name) => join(path as string, name)));
    else if (!/\.test\.tsx?$/.test(path) && (!newest || stat.mtimeMs > newest.mtimeMs)) newest = { file: path, mtimeMs: stat.mtimeMs };
  }
  return newest;
}

export type BuildState = { fresh: true } | { fresh: false; reason: string };

export function buildState(root: string): BuildState {
  let oldest = Infinity;
  for (const output of BUILD_OUTPUTS) {
    const file = join(root, output);
    if (!existsSync(file)) return { fresh: false, reason: 'there is no build yet' };
    oldest = Math.min(oldest, statSync(file).mtimeMs);
  }
  const newest = newestInput(root);
  if (newest && newest.mtimeMs > oldest) return { fresh: false, reason: `${relative(root, newest.file)} changed since the last build` };
  return { fresh: true };
}
