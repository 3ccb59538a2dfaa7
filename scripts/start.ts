/**
 * `npm start`: Poster Catalogue as users run it — the built application (no dev server), built
 * first when the build is missing or stale. The desktop window when it can open, fetching
 * Electron's binary the way Electron documents (its install script, @electron/get: ELECTRON_MIRROR
 * and proxies honoured) when it is missing; otherwise it says why in one sentence and serves the
 * same application to the browser, printing the address to open. `--desktop`/`--browser` force one.
 * `--dev` (npm run dev) is the development loop: electron-vite's dev server with hot reload.
 * The decisions are in lib/launch.ts; this file gathers the facts and acts on them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { buildState } from './lib/buildFreshness';
import {
  decideAfterDesktopExit,
  decideLaunch,
  describeFetchFailure,
  hasDisplay,
  parseStartArgs,
  START_USAGE,
  type FetchFailure,
  type FetchResult,
  type LaunchDecision,
  type StartOptions,
} from './lib/launch';

const root = resolve(import.meta.dirname, '..');
const electronDir = join(root, 'node_modules', 'electron');
const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
/** Electron's zip is ~100 MB: generous for a slow line, still an end on a stalled one. */
const FETCH_TIMEOUT_S = 900;

/** The child that is running now (build, fetch, shell): Ctrl+C and SIGTERM go to it. */
let current: ChildProcess | null = null;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    stopping = true;
    if (current && current.exitCode === null) current.kill(signal);
    else process.exit(130);
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  current = child;
  return new Promise((resolveExit) => {
    child.once('error', (error) => {
      console.error(`poster-catalogue: could not run ${child.spawnfile}: ${error.message}`);
      resolveExit({ code: 1, signal: null });
    });
    child.once('close', (code, signal) => resolveExit({ code, signal })); // after its output was read
  });
}

/** Electron's executable as its own package finds it (path.txt, ELECTRON_OVERRIDE_DIST_PATH), when it is there. */
function electronBinary(): string | null {
  const pathFile = join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const platformPath = process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : process.platform === 'win32' ? 'electron.exe' : 'electron';
  const file = override ? join(override, relative ?? platformPath) : relative ? join(electronDir, 'dist', relative) : null;
  return file && existsSync(file) ? file : null;
}

/** One line of progress: rewritten in place on a terminal, a new line per tenth elsewhere. */
function progressLine(): (bytes: number, total: number, done: boolean) => void {
  let shownTenth = -1;
  return (bytes, total, done) => {
    const mb = (n: number) => (n / 1e6).toFixed(0);
    const line = total ? `  ${mb(bytes)} of ${mb(total)} MB (${Math.floor((100 * bytes) / total)}%)` : `  ${mb(bytes)} MB`;
    const tenth = Math.floor((10 * bytes) / (total || 1e8));
    if (process.stdout.isTTY) process.stdout.write(`\r${line}${done ? '\n' : ''}`);
    else if (done || tenth !== shownTenth) console.log(line);
    shownTenth = tenth;
  };
}

/** Runs Electron's own install script, reporting progress, and turns any failure into one sentence. */
async function fetchElectron(): Promise<FetchResult> {
  const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')) as { version: string };
  const mirror = process.env.ELECTRON_MIRROR ?? process.env.npm_config_electron_mirror ?? 'https://github.com/electron/electron/releases/download/';
  console.log(`Fetching Electron ${version} for ${process.platform}-${process.arch} from ${mirror} (about 100 MB, once)…`);
  const reporter = join(import.meta.dirname, 'lib', 'electronFetchReporter.cjs');
  const child = spawn(process.execPath, ['--require', reporter, join(electronDir, 'install.js')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const failure: FetchFailure = { cause: null, output: '', timedOut: false, timeoutSeconds: FETCH_TIMEOUT_S };
  const showProgress = progressLine();
  createInterface({ input: child.stdout! }).on('line', (line) => (failure.output += `${line}\n`));
  createInterface({ input: child.stderr! }).on('line', (line) => {
    const progress = /^@poster-catalogue progress (\d+) (\d+)$/.exec(line);
    const failed = /^@poster-catalogue failed (\S+) (.+)$/.exec(line);
    if (progress) {
      const [bytes, total] = [Number(progress[1]), Number(progress[2])];
      showProgress(bytes, total, bytes === total);
    } else if (failed) failure.cause = { url: failed[1] as string, code: failed[2] as string };
    else failure.output += `${line}\n`;
  });
  const timer = setTimeout(() => {
    failure.timedOut = true;
    child.kill();
  }, FETCH_TIMEOUT_S * 1000);
  const { code } = await exited(child);
  clearTimeout(timer);
  if (code === 0 && electronBinary()) return { ok: true };
  if (code === 0) failure.output = `its install script ended without a binary in ${join(electronDir, 'dist')}`;
  return { ok: false, reason: describeFetchFailure(failure) };
}

/** Decides, fetching Electron's binary first when the decision asks for it. */
async function decide(forced: StartOptions['forced']): Promise<LaunchDecision> {
  const facts = { forced, hasDisplay: hasDisplay(process.platform, process.env), electronBinaryPresent: electronBinary() !== null };
  const first = decideLaunch({ ...facts, fetchResult: null });
  if (first.action !== 'fetch-electron') return first;
  return decideLaunch({ ...facts, fetchResult: await fetchElectron() });
}

async function ensureBuilt(): Promise<boolean> {
  const state = buildState(root);
  if (state.fresh) return true;
  console.log(`Building the application (${state.reason})…`);
  const { code } = await exited(spawn(process.execPath, [electronVite, 'build'], { cwd: root, stdio: 'inherit' }));
  if (code !== 0) console.error('poster-catalogue: the build failed (see above).');
  return code === 0;
}

/** The desktop window on the built renderer: Electron's binary on this folder (package.json main: out/main). */
async function runDesktop(options: StartOptions): Promise<ReturnType<typeof decideAfterDesktopExit>> {
  const env = { ...process.env };
  delete env.ELECTRON_RENDERER_URL; // set, the window would load a dev server
  delete env.ELECTRON_RUN_AS_NODE;
  console.log('Opening Poster Catalogue…');
  const started = Date.now();
  const child = spawn(electronBinary() as string, [root, ...(options.db ? ['--db', resolve(options.db)] : [])], { cwd: root, env, stdio: 'inherit' });
  const { code, signal } = await exited(child);
  if (stopping) return { action: 'exit', code: 0 };
  return decideAfterDesktopExit({ forced: options.forced, code, signal, seconds: (Date.now() - started) / 1000 });
}

function openInBrowser(url: string): void {
  // cmd's start: the first quoted argument is a window title, and the URL's & must stay quoted.
  const [cmd, args] =
    process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', `"${url}"`]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true, windowsHide: true, windowsVerbatimArguments: true });
  child.on('error', () => undefined); // the printed address is enough
  child.unref();
}

/** The browser host (src/main/host/serve.ts) on the same catalogue; its own lines, the address included, are passed on. */
async function runBrowser(options: StartOptions, reason: string | null): Promise<number> {
  if (reason) console.log(`${reason} Serving Poster Catalogue to the browser instead.`);
  const args = [...(options.db ? ['--db', options.db] : []), ...(options.port ? ['--port', options.port] : [])];
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'main', 'host', 'serve.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let shown = false;
  const relay = (from: NodeJS.ReadableStream, to: (line: string) => void) =>
    createInterface({ input: from }).on('line', (line) => {
      to(line);
      const url = /https?:\/\/[^\s"'<>]+/.exec(line)?.[0].replace(/[.,;)]+$/, '');
      if (url && !shown) {
        shown = true;
        console.log(`\nOpen ${url} in a web browser. Ctrl+C stops Poster Catalogue.`);
        if (options.open && hasDisplay(process.platform, process.env)) openInBrowser(url);
      }
    });
  relay(child.stdout!, (line) => console.log(line));
  relay(child.stderr!, (line) => console.error(line));
  const { code } = await exited(child);
  return stopping ? 0 : (code ?? 1);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--dev') {
    // The development loop needs the desktop shell; its arguments are electron-vite dev's
    // (what follows -- goes to Electron, e.g. \`npm run dev -- -- --db x.sqlite\`).
    const decision = await decide('desktop');
    if (decision.action === 'fail') {
      console.error(`poster-catalogue: ${decision.reason} (\`npm start -- --browser\` serves the built application.)`);
      return 1;
    }
    return (await exited(spawn(process.execPath, [electronVite, 'dev', ...argv.slice(1)], { cwd: root, stdio: 'inherit' }))).code ?? 1;
  }
  const parsed = parseStartArgs(argv);
  if (!parsed.ok) {
    console.error(`poster-catalogue: ${parsed.message}\n${START_USAGE}`);
    return 2;
  }
  const options = parsed.options;
  const decision = await decide(options.forced);
  if (stopping) return 130; // Ctrl+C during the download
  if (decision.action === 'fail') {
    console.error(`poster-catalogue: ${decision.reason}`);
    return 1;
  }
  if (!(await ensureBuilt()) || stopping) return stopping ? 130 : 1;
  if (decision.action === 'desktop') {
    const after = await runDesktop(options);
    if (after.action === 'exit') return after.code;
    return runBrowser(options, after.reason);
  }
  return runBrowser(options, decision.action === 'browser' ? decision.reason : null);
}

process.exit(await main());
