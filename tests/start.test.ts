/**
 * `npm start` for real (node scripts/ensure.mjs start, as npm runs it): on a machine without
 * Electron's binary or a display — this one — it must serve the application and print the address,
 * and the application must work there in Chromium. The build must be fresh: `npm start` would
 * otherwise rebuild out/ under the other browser tests' feet. Skipped without Chromium or a fresh
 * build, except in CI (.ci/run builds first), where it is required.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildState } from '../scripts/lib/buildFreshness';
import { copyPosters, tempDir } from './helpers';

const ROOT = join(import.meta.dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const fresh = buildState(ROOT).fresh;
const available = existsSync(CHROMIUM) && fresh;
if (!available && process.env.CI) throw new Error(`CI needs ${CHROMIUM} and a fresh build (npm run build) for the npm start test.`);

/** Every `npm start` of this file, stopped after each test. */
const running: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Runs `npm start -- <args>` in its own process group and waits for the address it prints. */
function start(args: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'ensure.mjs'), 'start', ...args], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed within 90 s:\n${output}`)), 90_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /^Open (\S+) in a web browser\./m.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolveStart({ child, url, output: () => output });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`npm start ended (code ${code}) before printing an address:\n${output}`)));
  });
}

/** A loopback port nothing listens on: a download from it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** This machine's environment without a display, plus `extra`. */
function headlessEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return { ...env, ...extra };
}

describe.skipIf(!available)('npm start on a machine without Electron or a display', () => {
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  });
  afterEach(() => {
    // The whole group: ensure.mjs, tsx, start.ts, the browser host.
    for (const child of running.splice(0)) if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
  });
  afterAll(async () => {
    await browser?.close();
  });

  const openPage = async (url: string) => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(url);
    // An empty catalogue opens on the import screen.
    await page.getByTestId('import-folder').waitFor({ timeout: 20_000 });
    return { page, errors };
  };

  it('--browser serves the application; it imports, and every screen works', async () => {
    const dir = tempDir();
    const db = join(dir, 'catalogue.sqlite');
    const { url, output } = await start(['--browser', '--no-open', '--port', '0', '--db', db], headlessEnv({}));
    expect(output()).not.toMatch(/Building the application/); // the build was fresh
    expect(output()).toContain(`serving ${db}`);
    const { page, errors } = await openPage(url);
    copyPosters(join(dir, 'vendor'));
    await page.getByTestId('import-folder').fill(join(dir, 'vendor'));
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-report').textContent()).toContain('12 imported');
    await page.getByRole('tab', { name: 'Library' }).click();
    await expect.poll(() => page.getByTestId('library-total').textContent(), { timeout: 15_000 }).toBe('12 posters');
    await page.getByRole('tab', { name: 'Review' }).click();
    await expect.poll(() => page.getByTestId('review-counts').textContent(), { timeout: 15_000 }).toBe('0 reviewed today · 12 remaining');
    await page.getByRole('tab', { name: 'Models' }).click();
    await expect.poll(() => page.getByTestId('provider').textContent(), { timeout: 15_000 }).toMatch(/Running on /);
    await page.getByRole('tab', { name: 'Export' }).click();
    await expect.poll(() => page.getByTestId('export-count').textContent(), { timeout: 15_000 }).toBe('12 posters will be exported.');
    await page.screenshot({ path: join(SHOTS, 'npm-start-export.png') });
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('without a display it says so and serves the default catalogue ($POSTER_CATALOGUE_DB) to the browser', async () => {
    const db = join(mkdtempSync(join(tempDir(), 'home-')), 'catalogue.sqlite');
    const { url, output } = await start(['--no-open', '--port', '0'], headlessEnv({ POSTER_CATALOGUE_DB: db }));
    expect(output()).toContain('There is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the desktop window cannot open.');
    expect(output()).toContain('Serving Poster Catalogue to the browser instead.');
    expect(output()).not.toMatch(/Fetching Electron/); // no download for a window nobody could see
    expect(output()).toContain(`serving ${db}`);
    const { errors } = await openPage(url);
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('with a display but no reachable Electron download, it tries, says why in one sentence, and serves', async () => {
    const db = join(tempDir(), 'catalogue.sqlite');
    const port = await closedPort();
    const env = headlessEnv({
      DISPLAY: ':99',
      ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
      // An empty dist folder: Electron's binary counts as missing even where one is installed.
      ELECTRON_OVERRIDE_DIST_PATH: tempDir('no-electron-'),
    });
    const { url, output } = await start(['--no-open', '--port', '0', '--db', db], env);
    expect(output()).toMatch(/Fetching Electron \S+ for \S+ from http:\/\/127\.0\.0\.1:\d+\//);
    expect(output()).toContain(
      `Electron's binary could not be downloaded: 127.0.0.1:${port} refused the connection; with a working network the next \`npm start\` fetches it;`,
    );
    expect(output()).not.toMatch(/\bat \S+ \(/); // no stack trace
    const { errors } = await openPage(url);
    expect(errors, errors.join('\n')).toEqual([]);
  });
});

/** Stands in for Electron's binary (ELECTRON_OVERRIDE_DIST_PATH): records how it was started, then exits with `code`. */
function fakeElectron(code: number): { dist: string; record: string } {
  const dist = tempDir('fake-electron-');
  const record = join(dist, 'started.txt');
  const script = `#!/bin/sh\n{ printf '%s\\n' "$@"; echo "renderer-url=\${ELECTRON_RENDERER_URL:-none}"; } > '${record}'\nexit ${code}\n`;
  writeFileSync(join(dist, 'electron'), script);
  chmodSync(join(dist, 'electron'), 0o755);
  return { dist, record };
}

function runToEnd(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'ensure.mjs'), 'start', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolveEnd) => child.once('exit', (code) => resolveEnd({ code, output })));
}

describe.skipIf(!fresh || process.platform === 'win32')('npm start where Electron is present (a stand-in binary)', () => {
  it('opens the desktop shell on this folder with the built renderer and the catalogue, and ends with it', async () => {
    const { dist, record } = fakeElectron(0);
    const db = join(tempDir(), 'catalogue.sqlite');
    const env = headlessEnv({ DISPLAY: ':99', ELECTRON_OVERRIDE_DIST_PATH: dist, ELECTRON_RENDERER_URL: 'http://localhost:5173' });
    const { code, output } = await runToEnd(['--db', db], env);
    expect(code, output).toBe(0);
    expect(output).toContain('Opening Poster Catalogue…');
    expect(output).not.toMatch(/Fetching Electron|browser/);
    // electron <project> --db <catalogue>: package.json's main is the built out/main; no dev server URL.
    expect(readFileSync(record, 'utf8')).toBe(`${ROOT}\n--db\n${db}\nrenderer-url=none\n`);
  });

  it('falls back to the browser when the desktop shell dies at start, unless --desktop was asked for', async () => {
    const { dist } = fakeElectron(1);
    const env = headlessEnv({ DISPLAY: ':99', ELECTRON_OVERRIDE_DIST_PATH: dist });
    const forced = await runToEnd(['--desktop', '--db', join(tempDir(), 'c.sqlite')], env);
    expect(forced.code).toBe(1);
    expect(forced.output).not.toMatch(/browser instead/);
    const { url, output } = await start(['--no-open', '--port', '0', '--db', join(tempDir(), 'c.sqlite')], env);
    expect(output()).toMatch(
      /The desktop window could not start \(Electron exited with code 1 after \d+ s; its message is above\)\. Serving Poster Catalogue to the browser instead\./,
    );
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(303); // the link sets the secret's cookie and redirects
    const child = running.pop();
    if (child?.pid) process.kill(-child.pid, 'SIGTERM');
  });
});
