export type { HeadInfo };

/**
 * Writing and reading back the genre head's weights for training (scoring lives with inference,
 * in inference/genreHead.ts). The genre head as an ONNX graph written by project code: features [batch, 2048] →
 * probabilities [batch, genres]. Genre names, per-genre thresholds and training metadata travel
 * inside the file (metadata_props), so a head file is complete on its own.
 */
import { AppError } from '../errors';
import { readHeadFile, readHeadInfo, type HeadInfo } from '../inference/genreHead';
import { DataType, floatTensor, int64Tensor, serializeModel, type NodeSpec, type Tensor, type ValueInfo } from '../onnx/onnxBuilder';
import { readOnnxInitializers } from '../onnx/readMetadata';
import type { TitlePart } from './titleModel';
import type { HeadWeights } from './trainHead';

/** What a head file is written from: the inputs it reads follow from whether it has a title part. */
export type HeadInfoToWrite = Omit<HeadInfo, 'inputs' | 'title' | 'imageOnlyThresholds'> & { imageOnlyThresholds?: (number | null)[] };

/**
 * Three inputs when a title part is given: features [batch, 2048], title_ids int64 [batch, ids]
 * (padded with the id `buckets`, whose table row is zero) and decade float [batch, slots] (one-hot,
 * all zero when the year is unknown). The title's embedding is Gather + ReduceSum over its ids
 * divided by their count; its logits and the decade's are added to the image head's.
 */
export function headToOnnx(head: HeadWeights, info: HeadInfoToWrite, title?: TitlePart): Uint8Array {
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
  const inputs: ValueInfo[] = [{ name: 'features', dataType: DataType.FLOAT, shape: ['batch', head.dim] }];
  const metadata: Record<string, string> = {
    head_version: info.version,
    feature_model: info.featureModel,
    genres: JSON.stringify(info.genres),
    thresholds: JSON.stringify(info.thresholds),
    training: JSON.stringify(info.training),
    inputs: JSON.stringify(title ? ['image', 'title', ...(title.decades.length ? ['decade'] : [])] : ['image']),
  };
  if (!title) {
    nodes.push({ op: 'Gemm', inputs: [input, 'W2', 'B2'], outputs: ['logits'] });
  } else {
    const w = title.width || g;
    const rows = title.hashing.buckets + 1;
    if (title.table.length !== rows * w) throw new Error(`the title table holds ${title.table.length} values where ${rows * w} were expected`);
    initializers.push(
      floatTensor('TitleTable', [rows, w], title.table),
      floatTensor('TitleBias', [g], title.bias),
      int64Tensor('title_pad', [], [title.hashing.buckets]),
      int64Tensor('axis_1', [1], [1]),
      floatTensor('one', [1], Float32Array.from([1])),
    );
    nodes.push(
      { op: 'Gemm', inputs: [input, 'W2', 'B2'], outputs: ['image_logits'] },
      { op: 'Gather', inputs: ['TitleTable', 'title_ids'], outputs: ['title_rows'], attributes: { axis: 0 } },
      { op: 'ReduceSum', inputs: ['title_rows', 'axis_1'], outputs: ['title_sum'], attributes: { keepdims: 0 } },
      { op: 'Less', inputs: ['title_ids', 'title_pad'], outputs: ['title_mask'] },
      { op: 'Cast', inputs: ['title_mask'], outputs: ['title_mask_float'], attributes: { to: DataType.FLOAT } },
      { op: 'ReduceSum', inputs: ['title_mask_float', 'axis_1'], outputs: ['title_count'], attributes: { keepdims: 1 } },
      { op: 'Max', inputs: ['title_count', 'one'], outputs: ['title_count_safe'] },
      { op: 'Div', inputs: ['title_sum', 'title_count_safe'], outputs: ['title_embedding'] },
    );
    let titleOut = 'title_embedding';
    if (title.width) {
      initializers.push(floatTensor('TitleProjection', [title.width, g], title.projection));
      nodes.push({ op: 'MatMul', inputs: ['title_embedding', 'TitleProjection'], outputs: ['title_logits'] });
      titleOut = 'title_logits';
    }
    nodes.push({ op: 'Add', inputs: ['image_logits', titleOut], outputs: ['image_title_logits'] });
    inputs.push({ name: 'title_ids', dataType: DataType.INT64, shape: ['batch', 'title_length'] });
    let sum = 'image_title_logits';
    if (title.words) {
      // The title's words in the word-vector vocabulary: the mean of their folded rows, padded with the id `vocabulary size`.
      const size = title.words.vocabulary.length;
      if (title.words.table.length !== (size + 1) * g)
        throw new Error(`the word table holds ${title.words.table.length} values where ${(size + 1) * g} were expected`);
      initializers.push(floatTensor('WordTable', [size + 1, g], title.words.table), int64Tensor('word_pad', [], [size]));
      nodes.push(
        { op: 'Gather', inputs: ['WordTable', 'title_words'], outputs: ['word_rows'], attributes: { axis: 0 } },
        { op: 'ReduceSum', inputs: ['word_rows', 'axis_1'], outputs: ['word_sum'], attributes: { keepdims: 0 } },
        { op: 'Less', inputs: ['title_words', 'word_pad'], outputs: ['word_mask'] },
        { op: 'Cast', inputs: ['word_mask'], outputs: ['word_mask_float'], attributes: { to: DataType.FLOAT } },
        { op: 'ReduceSum', inputs: ['word_mask_float', 'axis_1'], outputs: ['word_count'], attributes: { keepdims: 1 } },
        { op: 'Max', inputs: ['word_count', 'one'], outputs: ['word_count_safe'] },
        { op: 'Div', inputs: ['word_sum', 'word_count_safe'], outputs: ['word_logits'] },
        { op: 'Add', inputs: [sum, 'word_logits'], outputs: ['image_title_word_logits'] },
      );
      inputs.push({ name: 'title_words', dataType: DataType.INT64, shape: ['batch', 'word_length'] });
      sum = 'image_title_word_logits';
      metadata.title_vocabulary = title.words.vocabulary.join('\n');
    }
    if (title.decades.length) {
      initializers.push(floatTensor('DecadeWeights', [title.decades.length, g], title.decadeWeights));
      nodes.push(
        { op: 'MatMul', inputs: ['decade', 'DecadeWeights'], outputs: ['decade_logits'] },
        { op: 'Add', inputs: [sum, 'decade_logits'], outputs: ['all_logits'] },
      );
      inputs.push({ name: 'decade', dataType: DataType.FLOAT, shape: ['batch', title.decades.length] });
      sum = 'all_logits';
    }
    nodes.push({ op: 'Add', inputs: [sum, 'TitleBias'], outputs: ['logits'] });
    metadata.title_hashing = JSON.stringify(title.hashing);
    metadata.decade_slots = JSON.stringify(title.decades);
    metadata.title_width = String(title.width);
    metadata.thresholds_image_only = JSON.stringify(info.imageOnlyThresholds ?? info.thresholds);
  }
  nodes.push({ op: 'Sigmoid', inputs: ['logits'], outputs: ['probabilities'] });
  return serializeModel({
    graphName: 'genre_head',
    docString: `Multi-label genre head ${info.version} on ${info.featureModel} features${title ? ', the title and the decade' : ''}.`,
    nodes,
    initializers,
    inputs,
    outputs: [{ name: 'probabilities', dataType: DataType.FLOAT, shape: ['batch', g] }],
    metadata,
  });
}

/** A head file's weights (folded form), its title part if it has one, and metadata: where fine-tuning starts. */
export function readHeadWeights(file: string): { weights: HeadWeights; info: HeadInfo; title: TitlePart | null } {
  const bytes = readHeadFile(file);
  const info = readHeadInfo(bytes, file);
  const tensors = readOnnxInitializers(bytes);
  const w2 = tensors.get('W2');
  const b2 = tensors.get('B2');
  if (!w2 || !b2) throw new AppError('head-invalid', `The genre model ${file} has no output layer (W2, B2).`);
  const w1 = tensors.get('W1');
  const b1 = tensors.get('B1');
  const dim = (w1 ?? w2).dims[0] as number;
  let title: TitlePart | null = null;
  if (info.title) {
    const table = tensors.get('TitleTable');
    const decadeWeights = info.title.decades.length ? tensors.get('DecadeWeights') : { data: new Float32Array(0) };
    const bias = tensors.get('TitleBias');
    if (!table || !decadeWeights || !bias) throw new AppError('head-invalid', `The genre model ${file} reads titles but lacks its title weights.`);
    title = {
      hashing: info.title.hashing,
      decades: info.title.decades,
      width: info.title.width,
      table: table.data,
      projection: tensors.get('TitleProjection')?.data ?? new Float32Array(0),
      decadeWeights: decadeWeights.data,
      bias: bias.data,
    };
    if (info.title.vocabulary) {
      const words = tensors.get('WordTable');
      if (!words) throw new AppError('head-invalid', `The genre model ${file} has a word vocabulary but no word table.`);
      title.words = { vocabulary: info.title.vocabulary, table: words.data };
    }
  }
  return {
    info,
    title,
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
