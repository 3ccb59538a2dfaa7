/**
 * What goes wrong in real use, below the one door: a model file that cannot be loaded, a feature
 * model that fails or hangs mid-import, another process holding the write lock or the import lock.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { activateModelVersion, listModelVersions, registerModelVersion } from '../src/main/catalogue/modelRepository';
import { countPosters } from '../src/main/catalogue/posterRepository';
import { createHandlers, dispatch } from '../src/main/handlers';
import { CatalogueService } from '../src/main/service';
import { Tagger, type Extractor } from '../src/main/tagging/tagger';
import { copyPosters, posterFiles, tempDir } from './helpers';

const services: CatalogueService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
});

/** A stand-in feature model: `behave(call)` decides, per batch, whether it answers, fails or hangs. */
function fakeExtractor(behave: (call: number) => 'ok' | 'fail' | 'hang') {
  const state = { calls: 0, closed: 0 };
  const extractor: Extractor = {
    version: 'stand-in-features' as Extractor['version'],
    report: { provider: 'cpu', fallbacks: [] },
    precision: { precision: 'fp32', reason: 'a stand-in for tests' },
    extract: async (inputs) => {
      const mode = behave(state.calls++);
      if (mode === 'fail') throw new Error('the feature worker exited (code 1)');
      if (mode === 'hang') return new Promise(() => undefined);
      return inputs.map(() => new Float32Array(2048).fill(0.5));
    },
    close: async () => {
      state.closed++;
    },
  };
  return { extractor, state };
}

function open(dir: string, extractor?: Extractor, opens = { count: 0 }): CatalogueService {
  const service = CatalogueService.open(join(dir, 'c.sqlite'), {
    openTagger: (db) => {
      opens.count++;
      return Tagger.open(db, async () => extractor ?? fakeExtractor(() => 'ok').extractor);
    },
  });
  services.push(service);
  return service;
}

describe('faults', () => {
  it('one failed tagging batch records its posters as not tagged and the import goes on; the next import runs', async () => {
    const dir = tempDir();
    copyPosters(join(dir, 'in'));
    const { extractor } = fakeExtractor((call) => (call === 0 ? 'fail' : 'ok'));
    const service = open(dir, extractor);
    const summary = await service.startImport({ folder: join(dir, 'in'), batchSize: 4, concurrency: 1 }).promise;
    expect(summary.status).toBe('succeeded');
    expect(summary.imported).toBe(posterFiles().length);
    expect(summary.tagFailures.length).toBeGreaterThan(0);
    expect(summary.tagFailures[0]?.reason).toMatch(/genre suggestions failed .*the feature worker exited/);
    expect(summary.tagged + summary.tagFailures.length).toBe(posterFiles().length);
    // The "import running" flag was released: another import starts and ends.
    copyPosters(join(dir, 'more'), posterFiles().slice(0, 2), (n) => `again-${n}`);
    expect((await service.startImport({ folder: join(dir, 'more') }).promise).alreadyPresent).toBe(2);
  });

  it('Cancel ends an import whose feature model hangs', async () => {
    const dir = tempDir();
    copyPosters(join(dir, 'in'));
    const service = open(dir, fakeExtractor(() => 'hang').extractor);
    const { jobId, promise } = service.startImport({ folder: join(dir, 'in'), batchSize: 4 });
    setTimeout(() => service.jobs.cancel(jobId), 1500);
    expect((await promise).status).toBe('cancelled');
    expect(service.jobs.list().find((j) => j.jobId === jobId)?.state).toBe('cancelled');
  });

  it('a model file that cannot be loaded fails fast naming the file, closes the feature model, and is not retried by status calls', async () => {
    const dir = tempDir();
    const { extractor, state } = fakeExtractor(() => 'ok');
    const opens = { count: 0 };
    const service = open(dir, extractor, opens);
    await service.inferenceStatus(); // installs the shipped head
    await service.close();
    services.splice(0);
    const db = new Database(join(dir, 'c.sqlite'));
    const missing = join(dir, 'moved-away', 'v9.onnx');
    db.prepare("INSERT INTO model_versions (version, decade, file, created_at, active, run, kept) VALUES ('v9', NULL, ?, 'now', 1, 9, 1)").run(missing);
    db.prepare("UPDATE model_versions SET active = 0 WHERE version <> 'v9'").run();
    db.close();
    const again = open(dir, extractor, opens);
    opens.count = 0;
    await expect(again.startTag().promise).rejects.toThrow(`The genre model ${missing} cannot be read`);
    expect(state.closed).toBe(2); // the first service's close, and this failed load's clean-up
    await expect(again.inferenceStatus()).rejects.toThrow(/moved-away/);
    await expect(again.inferenceStatus()).rejects.toThrow(/moved-away/);
    expect(opens.count).toBe(1); // status calls report the failure; they do not load again
  });

  it('stores the shipped head relative to the installation, and finds an old absolute path after a move', async () => {
    const dir = tempDir();
    const service = open(dir);
    await service.inferenceStatus();
    const raw = service.db.prepare('SELECT file FROM model_versions').pluck().all();
    expect(raw).toEqual(['shipped:head-default.onnx']);
    registerModelVersion(service.db, { version: 'old', decade: null, file: '/opt/old-install/resources/models/head-default.onnx', genreIds: [] });
    expect(listModelVersions(service.db).find((m) => m.version === 'old')?.file).toMatch(/resources\/models\/head-default\.onnx$/);
    expect(listModelVersions(service.db).find((m) => m.version === 'old')?.file).not.toMatch(/old-install/);
    activateModelVersion(service.db, 'old');
  });

  it('a write that meets another process’s write lock waits without freezing the event loop', async () => {
    const dir = tempDir();
    copyPosters(join(dir, 'in'), posterFiles().slice(0, 1));
    const service = open(dir);
    await service.startImport({ folder: join(dir, 'in'), tag: false }).promise;
    const other = new Database(join(dir, 'c.sqlite'));
    other.exec('BEGIN IMMEDIATE'); // another process holds the write lock
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const call = dispatch(createHandlers(service), 'labels:set', { posterId: 1, genres: ['Drama'] });
    setTimeout(() => other.exec('COMMIT'), 600);
    const result = await call;
    clearInterval(timer);
    other.close();
    expect(result).toMatchObject({ ok: true });
    expect(ticks).toBeGreaterThan(10); // the loop kept running while the write waited
  });

  it('leaves another live process’s running import alone, and marks a dead one’s as interrupted', async () => {
    const dir = tempDir();
    open(dir);
    await services.pop()?.close();
    const sleeper = spawn('sleep', ['30']);
    const db = new Database(join(dir, 'c.sqlite'));
    const now = new Date().toISOString();
    db.prepare("INSERT INTO import_runs (folder, status, started_at) VALUES ('/in', 'running', ?)").run(now);
    db.prepare("INSERT INTO catalogue_locks (name, pid, host, started_at, heartbeat_at, detail) VALUES ('import', ?, ?, ?, ?, 'an import of /in')").run(
      sleeper.pid,
      (await import('node:os')).hostname(),
      now,
      now,
    );
    const status = () => db.prepare('SELECT status FROM import_runs').pluck().get();
    await open(dir).close();
    services.pop();
    expect(status()).toBe('running');
    sleeper.kill();
    await new Promise((r) => sleeper.once('exit', r));
    await open(dir).close();
    services.pop();
    expect(status()).toBe('interrupted');
    db.close();
  });

  it('two command-line imports into one catalogue, one second apart, both finish: every poster once, every thumbnail present', async () => {
    const dir = tempDir();
    const db = join(dir, 'c.sqlite');
    // a: the 12 posters and 20 copies of each that differ only in bytes after the image's end (other
    // sha256, same picture): enough work that the second import starts while the first still runs.
    const { appendFileSync, existsSync, renameSync } = await import('node:fs');
    copyPosters(join(dir, 'a'));
    for (let k = 1; k <= 20; k++) {
      for (const file of copyPosters(join(dir, 'a'), posterFiles(), (n) => `copy${k}-${n}`)) appendFileSync(file, Buffer.from(`copy ${k}`));
    }
    // b: half the same bytes as a (already present), half files of its own
    copyPosters(join(dir, 'b'), posterFiles().slice(0, 6));
    copyPosters(join(dir, 'b'), posterFiles().slice(6), (n) => `other-${n}`);
    const sharp = (await import('sharp')).default;
    for (const name of posterFiles().slice(6)) {
      const file = join(dir, 'b', `other-${name}`);
      await sharp(file).resize({ width: 300 }).jpeg({ quality: 70 }).toFile(`${file}.tmp.jpg`);
      renameSync(`${file}.tmp.jpg`, file);
    }
    const run = (folder: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [
          '--import',
          'tsx',
          join(import.meta.dirname, '..', 'src/main/cli/main.ts'),
          'import',
          folder,
          '--db',
          db,
          '--json',
        ]);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d));
        child.stderr.on('data', (d: Buffer) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const first = run(join(dir, 'a'));
    await new Promise((r) => setTimeout(r, 1000));
    // one second apart, and in any case only once the first holds the import lock
    const lockHeld = (): boolean => {
      try {
        const look = new Database(db, { readonly: true, fileMustExist: true });
        try {
          return look.prepare("SELECT count(*) FROM catalogue_locks WHERE name = 'import'").pluck().get() === 1;
        } finally {
          look.close();
        }
      } catch {
        return false; // not created or not migrated yet
      }
    };
    await expect.poll(lockHeld, { timeout: 30_000, interval: 50 }).toBe(true);
    const second = run(join(dir, 'b'));
    const [a, b] = (await Promise.all([first, second])) as [Awaited<typeof first>, Awaited<typeof first>];
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const summary = (r: { stdout: string }) =>
      JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as { imported: number; nearDuplicates: number; alreadyPresent: number };
    expect(summary(a).imported + summary(a).nearDuplicates).toBe(12 * 21);
    expect(summary(b).alreadyPresent).toBe(6);
    expect(b.stderr).toMatch(/Waiting: an import of .* is already running in process \d+ since/);
    const check = CatalogueService.open(db);
    services.push(check);
    expect(countPosters(check.db)).toBe(12 * 21 + 6);
    const rows = check.db.prepare('SELECT id, sha256, thumbnail FROM posters').all() as { id: number; sha256: string; thumbnail: string }[];
    expect(new Set(rows.map((r) => r.sha256)).size).toBe(rows.length);
    for (const r of rows) expect(existsSync(join(check.thumbnailsDir, r.thumbnail)), r.thumbnail).toBe(true);
    expect(check.db.prepare('SELECT status FROM import_runs ORDER BY id').pluck().all()).toEqual(['succeeded', 'succeeded']);
  });
});
