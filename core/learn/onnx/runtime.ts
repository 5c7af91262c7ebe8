/** Run an exported model with ONNX Runtime (onnxruntime-node) and read its metadata. */
import { readFileSync } from 'node:fs';
import type { InferenceSession as Session } from 'onnxruntime-node';
import { ONNX_INPUT, ONNX_PROBABILITIES } from './export.js';
import { metaFromProps, type OnnxModelMeta } from './metadata.js';
import onnxProto from 'onnx-proto';

export interface OnnxScorer {
  meta: OnnxModelMeta;
  nClasses: number;
  /** Probabilities, n × nClasses row-major (float32 from the runtime, widened). */
  predictProba(X: Float64Array, n: number): Promise<Float64Array>;
  close(): Promise<void>;
}

/** The metadata of an ONNX file, decoded with onnx-proto (the runtime's JS API does not expose metadata_props). */
export function readOnnxMeta(bytes: Uint8Array, source: string): OnnxModelMeta {
  let model;
  try {
    model = onnxProto.onnx.ModelProto.decode(bytes);
  } catch {
    throw new Error(`${source}: not an ONNX model (protobuf decode failed)`);
  }
  const props: Record<string, string> = {};
  for (const p of model.metadataProps) if (p.key) props[p.key] = p.value ?? '';
  return metaFromProps(props, source);
}

export async function loadOnnxScorer(path: string): Promise<OnnxScorer> {
  const bytes = readFileSync(path);
  const meta = readOnnxMeta(bytes, path);
  // Loaded lazily: the native runtime is only needed when an ONNX file is scored.
  const ort = await import('onnxruntime-node');
  const session: Session = await ort.InferenceSession.create(bytes);
  const d = meta.featureNames.length;
  const K = meta.classNames.length;
  return {
    meta,
    nClasses: K,
    async predictProba(X, n) {
      if (n === 0) return new Float64Array(0);
      const out = await session.run({ [ONNX_INPUT]: new ort.Tensor('float64', X, [n, d]) }, [ONNX_PROBABILITIES]);
      const p = out[ONNX_PROBABILITIES];
      if (p.dims.length !== 2 || p.dims[1] !== K) throw new Error(`${path}: the model returned ${p.dims.join('×')} probabilities, expected N×${K}`);
      return Float64Array.from(p.data as Float32Array);
    },
    close: () => session.release(),
  };
}
