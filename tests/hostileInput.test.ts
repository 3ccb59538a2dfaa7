/**
 * Hostile files, imported through the real browser host into the real services: sidecars in the
 * encodings Excel writes, a file name that is not UTF-8, files too large or not JPEG at all, and a
 * sidecar "title" the length of a book. Each is either imported correctly or refused with a reason,
 * and the rest of the folder still imports.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHost, type RunningHost } from '../src/main/host/httpHost';
import { CatalogueService } from '../src/main/service';
import type { ImportSummary, JobProgress, Poster } from '../src/shared/types';
import { POSTERS, posterFiles, tempDir } from './helpers';

let service: CatalogueService;
let host: RunningHost;
let folder: string;
let summary: ImportSummary;
let posters: Poster[];
let peakGrowthMb: number;
let documents: string;

const api = async <T>(path: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${host.url}api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
    body: body === undefined ? '' : JSON.stringify(body),
  });
  const json = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!json.ok) throw new Error(json.error?.message);
  return json.value;
};

const fixture = (i: number) => readFileSync(join(POSTERS, posterFiles()[i] as string));
/** `caf\xe9.jpg`: Latin-1 bytes, as an old Windows share writes them. */
const LATIN1_NAME = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from('.jpg')]);

beforeAll(async () => {
  const dir = tempDir();
  folder = join(dir, 'vendor');
  // Windows-1252 sidecar, as Excel's "CSV" writes it on Windows (é = E9, à = E0, ’ = 92).
  mkdirSync(join(folder, 'excel'), { recursive: true });
  writeFileSync(join(folder, 'excel', 'amelie.jpg'), fixture(0));
  writeFileSync(join(folder, 'excel', 'long.jpg'), fixture(1));
  const longTitle = 'Ab'.repeat(5000);
  writeFileSync(
    join(folder, 'excel', 'inventory.csv'),
    Buffer.concat([
      Buffer.from('file;title;year\r\namelie.jpg;Am'),
      Buffer.from([0xe9]),
      Buffer.from('lie '),
      Buffer.from([0xe0]),
      Buffer.from(' Paris;2001\r\n'),
      Buffer.from(`long.jpg;${longTitle};1960\r\n`),
    ]),
  );
  // UTF-16LE with BOM, tab-separated: Excel's "Unicode Text".
  mkdirSync(join(folder, 'unicode'));
  writeFileSync(join(folder, 'unicode', 'zazie.jpg'), fixture(2));
  writeFileSync(
    join(folder, 'unicode', 'list.csv'),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('filename\ttitle\tyear\r\nzazie.jpg\tZazie dans le métro\t1960\r\n', 'utf16le')]),
  );
  // UTF-16BE without a BOM.
  mkdirSync(join(folder, 'unicode-be'));
  writeFileSync(join(folder, 'unicode-be', 'mon-oncle.jpg'), fixture(3));
  writeFileSync(join(folder, 'unicode-be', 'list.csv'), Buffer.from('file,title\nmon-oncle.jpg,Mon Oncle – Tati\n', 'utf16le').swap16());
  // A name that is not UTF-8.
  mkdirSync(join(folder, 'share'));
  copyFileSync(join(POSTERS, posterFiles()[4] as string), Buffer.concat([Buffer.from(join(folder, 'share') + sep), LATIN1_NAME]));
  // 1 GiB files named .jpg (sparse: no disk used): one with a JPEG's first bytes, one of zeros.
  mkdirSync(join(folder, 'huge'));
  writeFileSync(join(folder, 'huge', 'big-but-jpeg.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
  truncateSync(join(folder, 'huge', 'big-but-jpeg.jpg'), 2 ** 30);
  writeFileSync(join(folder, 'huge', 'zeros.jpg'), '');
  truncateSync(join(folder, 'huge', 'zeros.jpg'), 2 ** 30);

  service = CatalogueService.open(join(dir, 'c.sqlite'));
  // A symbolic link planted in the thumbnails folder, named like a shard, to someone's documents.
  mkdirSync(join(dir, 'documents'));
  writeFileSync(join(dir, 'documents', 'letter.txt'), 'keep me');
  writeFileSync(join(dir, 'documents', `${'a'.repeat(64)}.jpg`), 'keep me too');
  mkdirSync(service.thumbnailsDir, { recursive: true });
  symlinkSync(join(dir, 'documents'), join(service.thumbnailsDir, 'ab'));
  documents = join(dir, 'documents');
  host = await startHttpHost(service, { port: 0 });
  const peakBefore = process.resourceUsage().maxRSS;
  const { jobId } = await api<{ jobId: string }>('import/start', { folder, tag: false });
  let job: JobProgress | undefined;
  for (let i = 0; i < 600 && job?.state !== 'succeeded' && job?.state !== 'failed'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    job = (await api<JobProgress[]>('jobs/list')).find((j) => j.jobId === jobId);
  }
  expect(job?.state).toBe('succeeded');
  summary = job?.result as ImportSummary;
  peakGrowthMb = (process.resourceUsage().maxRSS - peakBefore) / 1024;
  posters = (await api<{ items: Poster[] }>('posters/list', { offset: 0, limit: 100 })).items;
}, 120_000);
afterAll(async () => {
  await host?.close();
  await service?.close();
});

const byFile = (name: string) => posters.find((p) => p.path.endsWith(`${sep}${name}`));

describe('hostile input through the browser host', () => {
  it('reads a Windows-1252 sidecar as such, and says so', () => {
    expect(byFile('amelie.jpg')).toMatchObject({ title: 'Amélie à Paris', year: 2001 });
    expect(summary.sidecarWarnings.join('\n')).toMatch(/inventory\.csv: not UTF-8; read as Windows-1252/);
  });

  it('reads UTF-16 sidecars, with or without a BOM', () => {
    expect(byFile('zazie.jpg')).toMatchObject({ title: 'Zazie dans le métro', year: 1960 });
    expect(byFile('mon-oncle.jpg')).toMatchObject({ title: 'Mon Oncle – Tati' });
    expect(summary.sidecarWarnings.join('\n')).not.toMatch(/no file-name column/);
  });

  it('cuts a sidecar title longer than any title, with a warning', () => {
    expect(byFile('long.jpg')?.title).toHaveLength(300);
    expect(summary.sidecarWarnings.join('\n')).toMatch(/inventory\.csv line 3: title of 10000 characters cut to 300/);
  });

  it('imports a file whose name is not UTF-8, under a readable name, and serves its scan', async () => {
    const poster = byFile('café.jpg');
    expect(poster, JSON.stringify(summary.failures)).toBeDefined();
    const res = await fetch(`${host.url}images/${poster?.id}`, { headers: { authorization: `Bearer ${host.token}` } });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(fixture(4))).toBe(true);
  });

  it('refuses 1 GiB files named .jpg without reading them whole', () => {
    const reasons = new Map(summary.failures.map((f) => [f.file.split(sep).pop(), f.reason]));
    expect(reasons.get('big-but-jpeg.jpg')).toMatch(/file is 1024 MB, over the 256 MB limit for one scan; not read/);
    expect(reasons.get('zeros.jpg')).toMatch(/not an image file/);
    expect(peakGrowthMb).toBeLessThan(512); // reading either whole would have taken a gigabyte
  });

  it('neither follows nor empties a symbolic link in the thumbnails folder when sweeping orphans', () => {
    expect(existsSync(join(documents, 'letter.txt'))).toBe(true);
    expect(existsSync(join(documents, `${'a'.repeat(64)}.jpg`))).toBe(true);
  });

  it('imports everything else in the folder', () => {
    expect(summary).toMatchObject({ imported: 5, failed: 2, alreadyPresent: 0 });
    expect(posters).toHaveLength(5);
  });
});
