/**
 * Matrix products for training, run by onnxruntime's Gemm (its CPU kernels are far faster than
 * JavaScript loops). Row-major Float32Arrays; one tiny session per transpose combination.
 */
import { DataType, serializeModel } from '../onnx/onnxBuilder';
import { createSession, ort } from '../inference/session';

type Variant = 'NN' | 'TN' | 'NT';

function gemmModel(variant: Variant): Uint8Array {
  return serializeModel({
    graphName: `gemm_${variant}`,
    nodes: [
      {
        op: 'Gemm',
        inputs: ['A', 'B'],
        outputs: ['C'],
        attributes: { transA: variant === 'TN' ? 1 : 0, transB: variant === 'NT' ? 1 : 0 },
      },
    ],
    initializers: [],
    inputs: [
      { name: 'A', dataType: DataType.FLOAT, shape: ['a0', 'a1'] },
      { name: 'B', dataType: DataType.FLOAT, shape: ['b0', 'b1'] },
    ],
    outputs: [{ name: 'C', dataType: DataType.FLOAT, shape: ['c0', 'c1'] }],
  });
}

export class Gemm {
  private constructor(private readonly sessions: Record<Variant, ort.InferenceSession>) {}

  static async open(threads?: number): Promise<Gemm> {
    const open = async (v: Variant) => (await createSession(gemmModel(v), 'training kernel', { providers: ['cpu'], threads })).session;
    return new Gemm({ NN: await open('NN'), TN: await open('TN'), NT: await open('NT') });
  }

  private async run(v: Variant, a: Float32Array, aShape: [number, number], b: Float32Array, bShape: [number, number]) {
    const out = await this.sessions[v].run({ A: new ort.Tensor('float32', a, aShape), B: new ort.Tensor('float32', b, bShape) });
    return out.C?.data as Float32Array;
  }

  /** A[m,k] · B[k,n] */
  mul(a: Float32Array, m: number, k: number, b: Float32Array, n: number): Promise<Float32Array> {
    return this.run('NN', a, [m, k], b, [k, n]);
  }

  /** Aᵀ · B, with A[k,m] and B[k,n] → [m,n] */
  mulTN(a: Float32Array, k: number, m: number, b: Float32Array, n: number): Promise<Float32Array> {
    return this.run('TN', a, [k, m], b, [k, n]);
  }

  /** A · Bᵀ, with A[m,k] and B[n,k] → [m,n] */
  mulNT(a: Float32Array, m: number, k: number, b: Float32Array, n: number): Promise<Float32Array> {
    return this.run('NT', a, [m, k], b, [n, k]);
  }

  async close(): Promise<void> {
    for (const s of Object.values(this.sessions)) await s.release();
  }
}
