/**
 * Proves the ResNet50 conversion right against reference outputs computed independently (and
 * checked against the original TF.js model): fp32 features within 1e-3, the same top-1 class; the
 * int8 model's features within a stated cosine of the reference, the same top-1 class.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, tempDir } from '../../tests/helpers';
import { countOnnxOps } from '../../src/main/onnx/readMetadata';
import { CLASSIFIER_FILE, FEATURE_MODEL_FILE, FEATURE_MODEL_INT8_FILE, modelsDir } from '../../src/main/inference/modelFiles';
import { createSession, ort } from '../../src/main/inference/session';

const REF = join(FIXTURES, 'resnet50');
interface Reference {
  images: { file: string; top5: { index: number; label: string; prob: number }[]; features: number[] }[];
}
const reference = JSON.parse(readFileSync(join(REF, 'reference-outputs.json'), 'utf8')) as Reference;

/** The built models are byte-for-byte reproducible: the converter is deterministic. */
const PINNED_SHA256 = {
  [FEATURE_MODEL_FILE]: '5fed7ec4d335f234473c7dcb7e8119c6e69b521c1ea31a4fb893667fb6fb8478',
  [CLASSIFIER_FILE]: '8d928363cb064321b7e1a6e23cbdf0d169403794dc5209027fb9ccaf127f14c5',
  [FEATURE_MODEL_INT8_FILE]: '9989c7671799d64e20ce0ee200a810bac1083eb463e23d87939cd199315450b7',
};
/** The int8 model's features stay this close (cosine) to the fp32 reference on every test photograph. */
const INT8_MIN_COSINE = 0.995; // measured: 0.9968 at the least, on hub_dog.jpg-like photographs 0.998–0.9996

let features: ort.InferenceSession;
let int8: ort.InferenceSession;
let classifier: ort.InferenceSession;
beforeAll(async () => {
  features = (await createSession(join(modelsDir(), FEATURE_MODEL_FILE), 'feature model', { providers: ['cpu'] })).session;
  int8 = (await createSession(join(modelsDir(), FEATURE_MODEL_INT8_FILE), 'int8 feature model', { providers: ['cpu'] })).session;
  classifier = (await createSession(join(modelsDir(), CLASSIFIER_FILE), 'classifier', { providers: ['cpu'] })).session;
});

async function run(pixels: Uint8Array, model = features): Promise<{ features: Float32Array; top1: number; p: number }> {
  const out = await model.run({ pixels: new ort.Tensor('uint8', pixels, [1, 224, 224, 3]) });
  const f = out.features?.data as Float32Array;
  const probs = (await classifier.run({ features: new ort.Tensor('float32', f, [1, 2048]) })).probabilities?.data as Float32Array;
  let top1 = 0;
  for (let i = 1; i < probs.length; i++) if ((probs[i] as number) > (probs[top1] as number)) top1 = i;
  return { features: f, top1, p: probs[top1] as number };
}

const cosine = (a: Float32Array, b: number[]) => {
  let [dot, na, nb] = [0, 0, 0];
  a.forEach((v, i) => {
    const r = b[i] as number;
    dot += v * r;
    na += v * v;
    nb += r * r;
  });
  return dot / Math.sqrt(na * nb);
};
const maxAbsDiff = (a: Float32Array, b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);

describe('ResNet50 conversion', () => {
  it('is deterministic: the built models have the pinned sha256', () => {
    for (const [file, sha] of Object.entries(PINNED_SHA256)) {
      expect(
        createHash('sha256')
          .update(readFileSync(join(modelsDir(), file)))
          .digest('hex'),
        file,
      ).toBe(sha);
    }
  });

  it('reproduces the reference features and top-1 class for the exact reference input tensor', async () => {
    // The reference input is ImageNet-normalised NCHW float; the graph takes the 0–255 RGB integers it encodes.
    const f32 = new Float32Array(readFileSync(join(REF, 'hub_dog.input.f32')).buffer.slice(0));
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const pixels = new Uint8Array(224 * 224 * 3);
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 224 * 224; i++) {
        const v = ((f32[c * 224 * 224 + i] as number) * (std[c] as number) + (mean[c] as number)) * 255;
        expect(Math.abs(v - Math.round(v))).toBeLessThan(1e-3);
        pixels[i * 3 + c] = Math.round(v);
      }
    }
    const dog = reference.images.find((r) => r.file.endsWith('hub_dog.jpg'));
    const result = await run(pixels);
    expect(maxAbsDiff(result.features, dog?.features ?? [])).toBeLessThanOrEqual(1e-3);
    expect(result.top1).toBe(258); // Samoyed
    expect(result.p).toBeCloseTo(0.815, 2);
    const quantised = await run(pixels, int8);
    expect(cosine(quantised.features, dog?.features ?? [])).toBeGreaterThanOrEqual(INT8_MIN_COSINE);
    expect(quantised.top1).toBe(258);
  });

  it('runs as integer convolutions and adds in onnxruntime (the point of the int8 model)', async () => {
    const optimised = join(tempDir(), 'int8-optimised.onnx');
    await ort.InferenceSession.create(join(modelsDir(), FEATURE_MODEL_INT8_FILE), {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      optimizedModelFilePath: optimised,
      logSeverityLevel: 3,
    });
    const ops = countOnnxOps(readFileSync(optimised));
    expect(ops.get('QLinearConv')).toBe(53);
    expect(ops.get('QLinearAdd')).toBe(16);
    expect(ops.get('Conv') ?? 0).toBe(0);
    expect(ops.get('Relu') ?? 0).toBe(0); // zero point 0 after every Relu: onnxruntime drops them
  });

  it('gives the reference top-1 class for all nine test photographs, with fp32 and int8 weights', async () => {
    const cosines: number[] = [];
    for (const image of reference.images) {
      // The reference preprocessing: shorter side to 256 (linear), centre crop 224.
      const file = join(REF, image.file);
      const meta = await sharp(file).rotate().metadata();
      const rotated = (meta.orientation ?? 1) >= 5;
      const [w, h] = rotated ? [meta.height ?? 0, meta.width ?? 0] : [meta.width ?? 0, meta.height ?? 0];
      const scale = 256 / Math.min(w, h);
      const [rw, rh] = [Math.round(w * scale), Math.round(h * scale)];
      const pixels = await sharp(file)
        .rotate()
        .resize(rw, rh, { kernel: 'linear', fit: 'fill' })
        .extract({ left: Math.floor((rw - 224) / 2), top: Math.floor((rh - 224) / 2), width: 224, height: 224 })
        .removeAlpha()
        .raw()
        .toBuffer();
      const result = await run(new Uint8Array(pixels));
      expect(result.top1, image.file).toBe(image.top5[0]?.index);
      expect(maxAbsDiff(result.features, image.features), image.file).toBeLessThan(0.05);
      const quantised = await run(new Uint8Array(pixels), int8);
      cosines.push(cosine(quantised.features, image.features));
      expect(quantised.top1, `${image.file} (int8)`).toBe(image.top5[0]?.index);
    }
    console.log(`int8 feature cosine to the reference: ${cosines.map((c) => c.toFixed(4)).join(', ')}`);
    expect(Math.min(...cosines)).toBeGreaterThanOrEqual(INT8_MIN_COSINE);
  });
});
