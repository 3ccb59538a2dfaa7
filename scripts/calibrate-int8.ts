/**
 * Research tool: computes the int8 feature model's activation ranges from research posters and
 * writes them to resources/models/resnet50-int8-ranges.json (committed: the build on a user's
 * machine has no research posters). Posters are taken evenly across the three sources, prepared
 * exactly as the tagger prepares them (decodeForModel, the default head's square strategy), and
 * run one at a time through the fp32 graph with every quantised tensor as an extra output.
 *
 *   npm run calibrate:int8 -- [--posters 200]
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createSession, ort } from '../src/main/inference/session';
import { FEATURE_MODEL_VERSION, INPUT_SIZE } from '../src/main/inference/modelFiles';
import { decodeForModel } from '../src/main/media/media';
import { serializeModel } from '../src/main/onnx/onnxBuilder';
import { ActivationStats, type Activation } from './lib/calibrateInt8';
import { convertResnet, featureModelSpec } from './lib/convertResnet';
import { calibrationTargets, INT8_RANGES, type Int8Calibration } from './lib/quantizeResnet';
import { resnetPackageFiles } from './lib/resnetPackage';
import { loadSharedPosters } from './lib/sharedPosters';

const { values } = parseArgs({ options: { posters: { type: 'string', default: '200' }, strategy: { type: 'string', default: 'crop' } } });
const count = Number(values.posters);
const strategy = values.strategy as 'crop';

/** Every k-th poster of the shared list: the same posters on every run, all three sources. */
function calibrationPosters(n: number) {
  const all = loadSharedPosters();
  const stride = all.length / n;
  return Array.from({ length: n }, (_, i) => all[Math.floor(i * stride)] as (typeof all)[number]);
}

async function main(): Promise<void> {
  const started = performance.now();
  const { graph } = convertResnet(resnetPackageFiles());
  const { ranged, convInputs } = calibrationTargets(graph);
  const outputs = [...new Set([...ranged, ...convInputs])];
  const model = serializeModel(featureModelSpec(graph, { extraOutputs: outputs }));
  const { session } = await createSession(model, 'calibration model', { providers: ['cpu'] });
  const posters = calibrationPosters(count);
  const inputs = await Promise.all(posters.map(async (p) => decodeForModel(await readFile(p.path), strategy)));
  const stats = new ActivationStats(ranged, convInputs);
  const run = async (pixels: Uint8Array): Promise<Record<string, Activation>> => {
    const result = await session.run({ pixels: new ort.Tensor('uint8', pixels, [1, INPUT_SIZE, INPUT_SIZE, 3]) }, outputs);
    return Object.fromEntries(outputs.map((name) => [name, { data: result[name]?.data as Float32Array, dims: result[name]?.dims ?? [] }]));
  };
  for (const [pass, observe] of [
    ['extremes', (o: Record<string, Activation>) => stats.observeExtremes(o)],
    ['histograms', (o: Record<string, Activation>) => stats.observeHistogram(o)],
  ] as const) {
    for (let i = 0; i < inputs.length; i++) {
      observe(await run(inputs[i] as Uint8Array));
      if ((i + 1) % 50 === 0) process.stderr.write(`${pass}: ${i + 1}/${inputs.length}\n`);
    }
  }
  await session.release();
  const round = (v: number, digits: number) => Number(v.toPrecision(digits));
  const calibration: Int8Calibration = {
    about:
      `Activation ranges of the int8 ResNet50 feature model, made by "npm run calibrate:int8 -- --posters ${count}" from ${count} research ` +
      `posters (every ${(loadSharedPosters().length / count).toFixed(2)}th of ../shared/datasets/posters, "${strategy}" square input): ` +
      'a 2048-bin histogram per tensor and the clip with the least expected squared quantisation error; channel means of every convolution input for bias correction.',
    featureModelVersion: FEATURE_MODEL_VERSION,
    posters: posters.map((p) => `${p.source}/${p.file}`),
    ranges: Object.fromEntries(Object.entries(stats.ranges()).map(([k, [lo, hi]]) => [k, [round(lo, 6), round(hi, 6)]])),
    channelMeans: Object.fromEntries(Object.entries(stats.channelMeans()).map(([k, v]) => [k, v.map((m) => round(m, 5))])),
  };
  writeFileSync(INT8_RANGES, `${JSON.stringify(calibration)}\n`);
  console.log(`${INT8_RANGES}: ${ranged.length} ranges, ${convInputs.length} convolution inputs, ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

await main();
