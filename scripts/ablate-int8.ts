/**
 * Research tool: what each calibration choice of the int8 model buys, measured as the feature
 * cosine to the fp32 model on research posters that calibration did not see. Variants: the shipped
 * one (MSE-minimising clip + bias correction, uint8 activations), no bias correction, min/max
 * ranges (no clip), and int8 activations; for each, how many convolutions and adds onnxruntime
 * turned into integer ops, and its speed at batch 8 (interleaved with fp32, same process).
 * Calibrates afresh on the same 200 posters as calibrate-int8 (about a minute and a half).
 *
 *   npx tsx scripts/ablate-int8.ts [--posters 200] [--test 500]
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSession, ort } from '../src/main/inference/session';
import { FEATURE_DIM, FEATURE_MODEL_VERSION, INPUT_SIZE } from '../src/main/inference/modelFiles';
import { decodeForModel } from '../src/main/media/media';
import { serializeModel } from '../src/main/onnx/onnxBuilder';
import { countOnnxOps } from '../src/main/onnx/readMetadata';
import { ActivationStats, type Activation } from './lib/calibrateInt8';
import { convertResnet, featureModelSpec } from './lib/convertResnet';
import { calibrationTargets, quantizeResnet, type Int8Calibration } from './lib/quantizeResnet';
import { resnetPackageFiles } from './lib/resnetPackage';
import { loadSharedPosters } from './lib/sharedPosters';

const { values } = parseArgs({ options: { posters: { type: 'string', default: '200' }, test: { type: 'string', default: '500' } } });
const all = loadSharedPosters();
const every = (n: number, offset: number) => Array.from({ length: n }, (_, i) => all[Math.floor(i * (all.length / n)) + offset] as (typeof all)[number]);

async function integerOps(model: Uint8Array): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'ablate-')), 'optimised.onnx');
  await ort.InferenceSession.create(model, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', optimizedModelFilePath: file, logSeverityLevel: 3 });
  const ops = countOnnxOps(readFileSync(file));
  return `${ops.get('QLinearConv') ?? 0} QLinearConv + ${ops.get('Conv') ?? 0} float Conv, ${ops.get('QLinearAdd') ?? 0} QLinearAdd`;
}

/** images/s at batch 8 on one input batch, `rounds` runs after a warm-up. */
async function speed(session: ort.InferenceSession, pixels: Uint8Array, rounds = 5): Promise<number> {
  const tensor = new ort.Tensor('uint8', pixels, [8, INPUT_SIZE, INPUT_SIZE, 3]);
  await session.run({ pixels: tensor });
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) await session.run({ pixels: tensor });
  return (8 * rounds) / ((performance.now() - t0) / 1000);
}

async function features(model: Uint8Array, inputs: Uint8Array[]): Promise<Float32Array[]> {
  const { session } = await createSession(model, 'model', { providers: ['cpu'] });
  const out: Float32Array[] = [];
  for (let i = 0; i < inputs.length; i += 8) {
    const batch = inputs.slice(i, i + 8);
    const pixels = new Uint8Array(batch.length * INPUT_SIZE * INPUT_SIZE * 3);
    batch.forEach((b, k) => pixels.set(b, k * b.length));
    const f = (await session.run({ pixels: new ort.Tensor('uint8', pixels, [batch.length, INPUT_SIZE, INPUT_SIZE, 3]) })).features?.data as Float32Array;
    for (let k = 0; k < batch.length; k++) out.push(f.slice(k * FEATURE_DIM, (k + 1) * FEATURE_DIM));
  }
  await session.release();
  return out;
}

async function main(): Promise<void> {
  const { features: fp32Model, graph } = convertResnet(resnetPackageFiles());
  const { ranged, convInputs } = calibrationTargets(graph);
  const outputs = [...new Set([...ranged, ...convInputs])];
  const { session } = await createSession(serializeModel(featureModelSpec(graph, { extraOutputs: outputs })), 'calibration model', { providers: ['cpu'] });
  const calibrationInputs = await Promise.all(every(Number(values.posters), 0).map(async (p) => decodeForModel(await readFile(p.path), 'crop')));
  const stats = new ActivationStats(ranged, convInputs);
  for (const observe of [(o: Record<string, Activation>) => stats.observeExtremes(o), (o: Record<string, Activation>) => stats.observeHistogram(o)]) {
    for (const pixels of calibrationInputs) {
      const r = await session.run({ pixels: new ort.Tensor('uint8', pixels, [1, INPUT_SIZE, INPUT_SIZE, 3]) }, outputs);
      observe(Object.fromEntries(outputs.map((n) => [n, { data: r[n]?.data as Float32Array, dims: r[n]?.dims ?? [] }])));
    }
  }
  await session.release();
  const base = { featureModelVersion: FEATURE_MODEL_VERSION, channelMeans: stats.channelMeans() };
  const clipped: Int8Calibration = { ...base, ranges: stats.ranges() };
  const minMax: Int8Calibration = { ...base, ranges: stats.extremes() };

  // Test posters half-way between the calibration ones: never seen by calibration.
  const test = every(Number(values.test), Math.floor(all.length / Number(values.test) / 2));
  const inputs = await Promise.all(test.map(async (p) => decodeForModel(await readFile(p.path), 'crop')));
  const reference = await features(fp32Model, inputs);
  for (const [name, model] of [
    ['shipped: MSE clip + bias correction', quantizeResnet(graph, clipped)],
    ['MSE clip, no bias correction', quantizeResnet(graph, clipped, { biasCorrection: false })],
    ['min/max ranges + bias correction', quantizeResnet(graph, minMax)],
    ['int8 activations (else as shipped)', quantizeResnet(graph, clipped, { activations: 'int8' })],
  ] as const) {
    const got = await features(model, inputs);
    // Speed, interleaved with the fp32 model in this process: the ratio is what to read.
    const batch = new Uint8Array(8 * INPUT_SIZE * INPUT_SIZE * 3);
    inputs.slice(0, 8).forEach((b, k) => batch.set(b, k * b.length));
    const [int8Session, fp32Session] = await Promise.all(
      [model, fp32Model].map(async (m) => (await createSession(m, 'model', { providers: ['cpu'] })).session),
    );
    const [a, b, c, d] = [
      await speed(int8Session as ort.InferenceSession, batch),
      await speed(fp32Session as ort.InferenceSession, batch),
      await speed(int8Session as ort.InferenceSession, batch),
      await speed(fp32Session as ort.InferenceSession, batch),
    ];
    await Promise.all([int8Session?.release(), fp32Session?.release()]);
    const ops = await integerOps(model);
    const cos = got
      .map((f, i) => {
        const r = reference[i] as Float32Array;
        let [dot, na, nb] = [0, 0, 0];
        f.forEach((v, j) => {
          dot += v * (r[j] as number);
          na += v * v;
          nb += (r[j] as number) ** 2;
        });
        return dot / Math.sqrt(na * nb);
      })
      .sort((a, b) => a - b);
    const mean = cos.reduce((s, c) => s + c, 0) / cos.length;
    console.log(
      `${name.padEnd(38)} cosine to fp32 on ${cos.length} posters: mean ${mean.toFixed(5)} (1 − mean ${(1 - mean).toExponential(2)}), ` +
        `5th pct ${(cos[Math.floor(cos.length * 0.05)] as number).toFixed(4)}, min ${(cos[0] as number).toFixed(4)}; ${ops}; ` +
        `batch 8: ${((a + c) / 2).toFixed(1)} images/s vs fp32 ${((b + d) / 2).toFixed(1)} (×${((a + c) / (b + d)).toFixed(2)})`,
    );
  }
}

await main();
