/**
 * Builds ONNX models in memory and serialises them (onnx.proto field numbers). Used by the
 * ResNet50 converter and by the genre-head exporter: project code writes every graph it runs.
 */
import { ProtoWriter } from './protobuf';

export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, FLOAT16: 10 } as const;
type DataTypeValue = (typeof DataType)[keyof typeof DataType];

export interface Tensor {
  name: string;
  dims: number[];
  dataType: DataTypeValue;
  raw: Uint8Array;
}

export type AttributeValue = number | string | number[] | { ints: number[] } | { float: number } | Tensor;

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attributes?: Record<string, AttributeValue>;
}

export interface ValueInfo {
  name: string;
  dataType: DataTypeValue;
  /** Numbers are fixed sizes; strings are symbolic (e.g. 'batch'). */
  shape: (number | string)[];
}

export const floatTensor = (name: string, dims: number[], data: Float32Array): Tensor => ({
  name,
  dims,
  dataType: DataType.FLOAT,
  raw: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
});

export const int64Tensor = (name: string, dims: number[], data: number[]): Tensor => {
  const values = BigInt64Array.from(data.map((v) => BigInt(v)));
  return { name, dims, dataType: DataType.INT64, raw: new Uint8Array(values.buffer) };
};

/** Integer tensors as raw little-endian bytes: int8 weights, uint8 zero points, int32 biases. */
export const intTensor = (name: string, dims: number[], data: Int8Array | Uint8Array | Int32Array): Tensor => ({
  name,
  dims,
  dataType: data instanceof Int8Array ? DataType.INT8 : data instanceof Uint8Array ? DataType.UINT8 : DataType.INT32,
  raw: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
});

function writeTensor(w: ProtoWriter, t: Tensor): void {
  w.packedInts(1, t.dims).int(2, t.dataType).string(8, t.name).bytes(9, t.raw);
}

function writeValueInfo(w: ProtoWriter, v: ValueInfo): void {
  w.string(1, v.name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, v.dataType).message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      }),
    ),
  );
}

function writeAttribute(w: ProtoWriter, name: string, value: AttributeValue): void {
  w.string(1, name);
  if (typeof value === 'number') w.int(3, value).int(20, 2);
  else if (typeof value === 'string') w.string(4, value).int(20, 3);
  else if (Array.isArray(value)) w.packedInts(8, value).int(20, 7);
  else if ('ints' in value) w.packedInts(8, value.ints).int(20, 7);
  else if ('float' in value) w.float(2, value.float).int(20, 1);
  else w.message(5, (t) => writeTensor(t, value)).int(20, 4);
}

export interface ModelSpec {
  graphName: string;
  nodes: NodeSpec[];
  initializers: Tensor[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  metadata?: Record<string, string>;
  opset?: number;
  producer?: string;
  docString?: string;
}

export function serializeModel(spec: ModelSpec): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8) // ir_version 8
    .string(2, spec.producer ?? 'poster-catalogue')
    .message(8, (o) => o.string(1, '').int(2, spec.opset ?? 17));
  if (spec.docString) w.string(6, spec.docString);
  w.message(7, (g) => {
    spec.nodes.forEach((n, i) =>
      g.message(1, (node) => {
        for (const input of n.inputs) node.string(1, input);
        for (const output of n.outputs) node.string(2, output);
        node.string(3, n.name ?? `${n.op}_${i}`).string(4, n.op);
        for (const [key, value] of Object.entries(n.attributes ?? {})) node.message(5, (a) => writeAttribute(a, key, value));
      }),
    );
    g.string(2, spec.graphName);
    for (const t of spec.initializers) g.message(5, (tensor) => writeTensor(tensor, t));
    for (const v of spec.inputs) g.message(11, (vi) => writeValueInfo(vi, v));
    for (const v of spec.outputs) g.message(12, (vi) => writeValueInfo(vi, v));
  });
  for (const [key, value] of Object.entries(spec.metadata ?? {})) w.message(14, (e) => e.string(1, key).string(2, value));
  return w.finish();
}
