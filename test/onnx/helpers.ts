import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import type { Classifier } from '../../core/learn/classifier.js';
import { exportOnnx } from '../../core/learn/onnx/export.js';
import type { OnnxModelMeta } from '../../core/learn/onnx/metadata.js';
import { loadOnnxScorer } from '../../core/learn/onnx/runtime.js';

export function metaFor(m: Classifier, over: Partial<OnnxModelMeta> = {}): OnnxModelMeta {
  return {
    featureSet: 'fs1',
    featureNames: m.featureNames,
    task: 'gal',
    classNames: ['not galactic', 'galactic'],
    survey: 'ztf',
    runId: '',
    engine: m.engine,
    ...over,
  };
}

/** Export `m` to a temporary .onnx file; returns its path. */
export function writeOnnx(m: Classifier, over: Partial<OnnxModelMeta> = {}): string {
  const file = join(mkdtempSync(join(tmpdir(), 'vra-onnx-')), `${m.engine}.onnx`);
  writeFileSync(file, exportOnnx(m.toJSON(), metaFor(m, over)));
  return file;
}

/** Largest |ONNX Runtime probability − the app's| over every row and class. */
export async function maxRuntimeDiff(m: Classifier, X: Float64Array, n: number, over: Partial<OnnxModelMeta> = {}): Promise<number> {
  const scorer = await loadOnnxScorer(writeOnnx(m, over));
  try {
    const got = await scorer.predictProba(X, n);
    const want = m.predictProba(X, n);
    expectSameLength(got, want);
    let max = 0;
    for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(got[i] - want[i]));
    return max;
  } finally {
    await scorer.close();
  }
}

function expectSameLength(a: Float64Array, b: Float64Array): void {
  if (a.length !== b.length) throw new Error(`runtime gave ${a.length} values, the app ${b.length}`);
}

/** The next double above / below x (x finite). */
export function nextDouble(x: number, dir: 1 | -1): number {
  if (x === 0) return dir * Number.MIN_VALUE;
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const bits = dv.getBigInt64(0);
  dv.setBigInt64(0, bits + BigInt((x > 0 ? 1 : -1) * dir));
  return dv.getFloat64(0);
}

/** A seeded uniform generator (Park–Miller) for test data. */
export function uniform(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** Copy an ONNX file with one metadata field rewritten (a model "from elsewhere"); returns `dst`. */
export function withMeta(src: string, key: string, value: string, dst: string): string {
  const { onnx } = onnxProto;
  const m = onnx.ModelProto.decode(readFileSync(src));
  for (const p of m.metadataProps) if (p.key === key) p.value = value;
  writeFileSync(dst, onnx.ModelProto.encode(m).finish());
  return dst;
}

/** Copy an ONNX file with one metadata field added (a field a newer export might write); returns `dst`. */
export function addMeta(src: string, key: string, value: string, dst: string): string {
  const { onnx } = onnxProto;
  const m = onnx.ModelProto.decode(readFileSync(src));
  m.metadataProps.push(onnx.StringStringEntryProto.create({ key, value }));
  writeFileSync(dst, onnx.ModelProto.encode(m).finish());
  return dst;
}

/** Copy an ONNX file without one metadata field (an export that did not write it); returns `dst`. */
export function dropMeta(src: string, key: string, dst: string): string {
  const { onnx } = onnxProto;
  const m = onnx.ModelProto.decode(readFileSync(src));
  m.metadataProps = m.metadataProps.filter((p) => p.key !== key);
  writeFileSync(dst, onnx.ModelProto.encode(m).finish());
  return dst;
}
