export type { HeadInfo };

/**
 * Writing and reading back the genre head's weights for training (scoring lives with inference,
 * in inference/genreHead.ts). The genre head as an ONNX graph written by project code: features [batch, 2048] →
 * probabilities [batch, genres]. Genre names, per-genre thresholds and training metadata travel
 * inside the file (metadata_props), so a head file is complete on its own.
 */
import { AppError } from '../errors';
import { readHeadFile, readHeadInfo, type HeadInfo } from '../inference/genreHead';
import { DataType, floatTensor, serializeModel, type NodeSpec, type Tensor } from '../onnx/onnxBuilder';
import { readOnnxInitializers } from '../onnx/readMetadata';
import type { HeadWeights } from './trainHead';

export function headToOnnx(head: HeadWeights, info: HeadInfo): Uint8Array {
  const g = head.genres.length;
  const nodes: NodeSpec[] = [];
  const initializers: Tensor[] = [];
  let input = 'features';
  if (head.featureTransform === 'sqrt-l2') {
    // Features are average-pooled ReLU outputs (≥ 0): square root, then divide by the L2 norm.
    initializers.push(floatTensor('norm_floor', [1], Float32Array.from([1e-6])));
    nodes.push(
      { op: 'Sqrt', inputs: ['features'], outputs: ['features_sqrt'] },
      { op: 'ReduceL2', inputs: ['features_sqrt'], outputs: ['features_norm'], attributes: { keepdims: 1, axes: [1] } },
      { op: 'Max', inputs: ['features_norm', 'norm_floor'], outputs: ['features_norm_safe'] },
      { op: 'Div', inputs: ['features_sqrt', 'features_norm_safe'], outputs: ['features_normalised'] },
    );
    input = 'features_normalised';
  }
  if (head.hidden > 0) {
    initializers.push(floatTensor('W1', [head.dim, head.hidden], head.w1), floatTensor('B1', [head.hidden], head.b1));
    nodes.push({ op: 'Gemm', inputs: [input, 'W1', 'B1'], outputs: ['hidden_pre'] }, { op: 'Relu', inputs: ['hidden_pre'], outputs: ['hidden'] });
    input = 'hidden';
  }
  initializers.push(floatTensor('W2', [head.hidden > 0 ? head.hidden : head.dim, g], head.w2), floatTensor('B2', [g], head.b2));
  nodes.push({ op: 'Gemm', inputs: [input, 'W2', 'B2'], outputs: ['logits'] }, { op: 'Sigmoid', inputs: ['logits'], outputs: ['probabilities'] });
  return serializeModel({
    graphName: 'genre_head',
    docString: `Multi-label genre head ${info.version} on ${info.featureModel} features.`,
    nodes,
    initializers,
    inputs: [{ name: 'features', dataType: DataType.FLOAT, shape: ['batch', head.dim] }],
    outputs: [{ name: 'probabilities', dataType: DataType.FLOAT, shape: ['batch', g] }],
    metadata: {
      head_version: info.version,
      feature_model: info.featureModel,
      genres: JSON.stringify(info.genres),
      thresholds: JSON.stringify(info.thresholds),
      training: JSON.stringify(info.training),
    },
  });
}

/** A head file's weights (folded form) and metadata: where fine-tuning starts. */
export function readHeadWeights(file: string): { weights: HeadWeights; info: HeadInfo } {
  const bytes = readHeadFile(file);
  const info = readHeadInfo(bytes, file);
  const tensors = readOnnxInitializers(bytes);
  const w2 = tensors.get('W2');
  const b2 = tensors.get('B2');
  if (!w2 || !b2) throw new AppError('head-invalid', `The genre model ${file} has no output layer (W2, B2).`);
  const w1 = tensors.get('W1');
  const b1 = tensors.get('B1');
  const dim = (w1 ?? w2).dims[0] as number;
  return {
    info,
    weights: {
      dim,
      hidden: w1 ? (w1.dims[1] as number) : 0,
      genres: info.genres,
      featureTransform: tensors.has('norm_floor') ? 'sqrt-l2' : 'none',
      trained: info.thresholds.map((t) => t !== null),
      w1: w1?.data ?? new Float32Array(0),
      b1: b1?.data ?? new Float32Array(0),
      w2: w2.data,
      b2: b2.data,
    },
  };
}
