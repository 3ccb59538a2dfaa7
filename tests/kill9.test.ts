/**
 * The crash test: kill -9 the command-line import half-way, import the same folder again, and
 * every poster is there exactly once — no duplicates, no half-written rows, no orphan thumbnails.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ImportSummary } from '../src/shared/types';
import { rescanJpeg } from '../src/main/media/media';
import { POSTERS, posterFiles, tempDir } from './helpers';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'src', 'main', 'cli', 'main.ts');
const FILES = 240;

async function makeFolder(folder: string): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const bases = await Promise.all(posterFiles().map((name) => rescanJpeg(readFileSync(join(POSTERS, name)), { width: 1000, height: 1500, quality: 85 })));
  for (let i = 0; i < FILES; i++) {
    // Bytes after the end-of-image marker: a distinct file (new sha256) that decodes the same.
    const base = bases[i % bases.length] as Buffer;
    writeFileSync(join(folder, `scan ${String(i).padStart(4, '0')}.jpg`), Buffer.concat([base, Buffer.from(` copy ${i}`)]));
  }
}

function runCli(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; stdout: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.resume();
  const done = new Promise<{ code: number | null; stdout: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout })));
  return { child, done };
}

function count(dbPath: string, sql: string): number {
  if (!existsSync(dbPath)) return 0;
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } catch {
    return 0; // not yet migrated
  } finally {
    db.close();
  }
}

describe('import killed with SIGKILL', () => {
  it('loses nothing and duplicates nothing when the same folder is imported again', async () => {
    const dir = tempDir();
    const folder = join(dir, 'vendor');
    const dbPath = join(dir, 'catalogue.sqlite');
    await makeFolder(folder);

    const { child, done } = runCli(['import', folder, '--db', dbPath]);
    const deadline = Date.now() + 60_000;
    while (count(dbPath, 'SELECT count(*) FROM posters') < 20 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.code).toBeNull(); // it really was killed, not finished
    const before = count(dbPath, 'SELECT count(*) FROM posters');
    expect(before).toBeGreaterThanOrEqual(20);
    expect(before).toBeLessThan(FILES); // killed half-way, not after the end

    const again = await runCli(['import', folder, '--db', dbPath, '--json']).done;
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout.trim().split('\n').at(-1) as string) as ImportSummary;
    expect(summary.alreadyPresent).toBe(before);
    expect(summary.imported + summary.nearDuplicates).toBe(FILES - before);
    expect(summary.failed).toBe(0);

    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT count(*) FROM posters').pluck().get()).toBe(FILES);
      expect(db.prepare('SELECT count(DISTINCT path) FROM posters').pluck().get()).toBe(FILES);
      expect(db.prepare('SELECT status FROM import_runs ORDER BY id').pluck().all()).toEqual(['interrupted', 'succeeded']);
      const thumbs = db.prepare('SELECT thumbnail FROM posters').pluck().all() as string[];
      const thumbDir = join(dir, 'catalogue.thumbnails');
      for (const t of thumbs) expect(existsSync(join(thumbDir, t)), t).toBe(true);
      const files = readdirSync(thumbDir, { recursive: true }).filter((f) => !String(f).match(/^[0-9a-f]{2}$/));
      expect(files).toHaveLength(FILES); // no orphans, no temporary files
    } finally {
      db.close();
    }
  });
});
