/** Shared helpers for integration tests: temporary folders, real fixture posters, real bad files. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import type { NewPoster } from '../src/main/catalogue/posterRepository';
import type { JobContext } from '../src/main/jobs/jobManager';
import type { ProgressUnit } from '../src/shared/types';

export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const POSTERS = join(FIXTURES, 'posters');
export const posterFiles = (): string[] =>
  readdirSync(POSTERS)
    .filter((f) => f.endsWith('.jpg'))
    .sort();

/** A poster for repository tests, `/scans/p{i}.jpg` titled `P{i}` (1958, vendor "v"): override what the test is about. */
export function testPoster(i: number, overrides: Partial<NewPoster> = {}): NewPoster {
  return {
    path: `/scans/p${i}.jpg`,
    sha256: String(i).padStart(64, '0'),
    bytes: 1,
    width: 1,
    height: 1,
    title: `P${i}`,
    year: 1958,
    decade: 1950,
    vendor: 'v',
    importedAt: '2026-11-21T00:00:00Z',
    thumbnail: 't.jpg',
    phash: '0'.repeat(16),
    duplicateOf: null,
    ...overrides,
  };
}

export function tempDir(prefix = 'poster-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function noopJob(signal: AbortSignal = new AbortController().signal): JobContext {
  return { signal, onProgress: () => undefined };
}

/** A job that keeps every progress report: what it counted, in which unit, with which words. */
export function recordingJob(signal: AbortSignal = new AbortController().signal) {
  const reports: { done: number; total: number; unit: ProgressUnit | null; message: string | undefined }[] = [];
  const job: JobContext = {
    signal,
    onProgress: (done: number, total: number, unit: ProgressUnit | null, message?: string) => void reports.push({ done, total, unit, message }),
  };
  return { job, reports };
}

/** Copies the fixture posters into `dir` (optionally under new names). */
export function copyPosters(dir: string, names: string[] = posterFiles(), rename = (n: string) => n): string[] {
  mkdirSync(dir, { recursive: true });
  return names.map((name) => {
    const target = join(dir, rename(name));
    copyFileSync(join(POSTERS, name), target);
    return target;
  });
}

/** Rewrites the SOF header of a real JPEG to claim `width`×`height`: a tiny file that would decode to gigapixels. */
export function decompressionBomb(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let i = 2; i < out.length - 9;) {
    if (out[i] !== 0xff) throw new Error('not a JPEG marker');
    const marker = out[i + 1] as number;
    const length = out.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc2) {
      out.writeUInt16BE(height, i + 5);
      out.writeUInt16BE(width, i + 7);
      return out;
    }
    i += 2 + length;
  }
  throw new Error('no SOF marker found');
}

/** Every kind of bad file the import must explain, with a word its reason must contain. */
export async function writeBadFiles(dir: string): Promise<Map<string, RegExp>> {
  mkdirSync(dir, { recursive: true });
  const good = readFileSync(join(POSTERS, posterFiles()[0] as string));
  const expected = new Map<string, RegExp>();
  const put = (name: string, data: Buffer | string, reason: RegExp) => {
    writeFileSync(join(dir, name), data);
    expected.set(join(dir, name), reason);
  };
  put('zero-bytes.jpg', Buffer.alloc(0), /empty file/);
  put('truncated.jpg', good.subarray(0, Math.floor(good.length * 0.5)), /truncated/);
  put('notes.jpg', 'These are not the posters you are looking for.\n', /not an image/);
  put('actually-png.JPG', await sharp(good).png().toBuffer(), /not a JPEG.*PNG/);
  put('bomb.jpeg', decompressionBomb(good, 60000, 60000), /60000×60000.*limit/);
  symlinkSync(join(dir, 'no-such-target.jpg'), join(dir, 'dangling.jpg'));
  expected.set(join(dir, 'dangling.jpg'), /broken symbolic link/);
  mkdirSync(join(dir, 'loop'));
  symlinkSync('..', join(dir, 'loop', 'back-up'));
  expected.set(join(dir, 'loop', 'back-up'), /symbolic link loop/);
  return expected;
}

/** The command line as a user runs it (tsx, no terminal on standard input); `json()` reads the last line of standard output. */
/** The CLI from source, run in `cwd` (the project by default; tsx is named by its path, so any folder works). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = join(import.meta.dirname, '..')) {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const r = spawnSync(process.execPath, ['--import', tsx, join(import.meta.dirname, '..', 'src/main/cli/main.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    input: '',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') };
}

/**
 * Two low-contrast posters (a pale sheet with faint shapes) whose perceptual hashes agree although
 * their pictures do not: every low frequency has the same sign against the others in both, but
 * each puts its strength in other frequencies (1 and 9 against 8 and 2). The hash keeps only the
 * signs, so it cannot tell them apart; the layout (phash.ts) can.
 */
export async function lowContrastLookalikes(): Promise<[Buffer, Buffer]> {
  const signs = Array.from({ length: 64 }, (_, k) => (((k * 2654435761) >>> 7) % 2 ? 1 : -1));
  const sheet = (strong: number[]) => {
    const px = Buffer.alloc(32 * 32);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        let v = 200;
        for (let k = 1; k < 64; k++) {
          const c = (signs[k] as number) * (strong.includes(k) ? 40 : 3);
          v += c * Math.cos((Math.PI / 32) * (x + 0.5) * (k % 8)) * Math.cos((Math.PI / 32) * (y + 0.5) * Math.floor(k / 8));
        }
        px[y * 32 + x] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
    return sharp(px, { raw: { width: 32, height: 32, channels: 1 } })
      .resize(320, 480, { kernel: 'cubic' })
      .toColourspace('srgb')
      .jpeg({ quality: 90 })
      .toBuffer();
  };
  return [await sheet([1, 9]), await sheet([8, 2])];
}
