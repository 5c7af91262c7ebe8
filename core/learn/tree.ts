/**
 * Flat binary trees on typed arrays, shared by the gradient-boosted and the random-forest engines.
 * Node i is a leaf when feature[i] < 0. A split sends x <= threshold left, x > threshold right and NaN to the side
 * learnt at training time (missingLeft). Leaves hold `width` values (one raw score for boosting, class fractions for
 * the forest).
 */
import { z } from 'zod';

export class TreeBuilder {
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  count = 0;

  constructor(
    readonly width: number,
    capacity = 64,
  ) {
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.missingLeft = new Uint8Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.value = new Float64Array(capacity * width);
  }

  /** Append a leaf (callers may turn it into a split later). */
  addLeaf(): number {
    if (this.count === this.feature.length) this.grow();
    const i = this.count++;
    this.feature[i] = -1;
    this.left[i] = -1;
    this.right[i] = -1;
    return i;
  }

  setSplit(node: number, feature: number, threshold: number, missingLeft: boolean, left: number, right: number): void {
    this.feature[node] = feature;
    this.threshold[node] = threshold;
    this.missingLeft[node] = missingLeft ? 1 : 0;
    this.left[node] = left;
    this.right[node] = right;
  }

  private grow(): void {
    const cap = this.feature.length * 2;
    const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (k: number) => T)(size);
      b.set(a);
      return b;
    };
    this.feature = g(this.feature, cap);
    this.threshold = g(this.threshold, cap);
    this.missingLeft = g(this.missingLeft, cap);
    this.left = g(this.left, cap);
    this.right = g(this.right, cap);
    this.value = g(this.value, cap * this.width);
  }

  finish(): Tree {
    const c = this.count;
    return {
      width: this.width,
      feature: this.feature.slice(0, c),
      threshold: this.threshold.slice(0, c),
      missingLeft: this.missingLeft.slice(0, c),
      left: this.left.slice(0, c),
      right: this.right.slice(0, c),
      value: this.value.slice(0, c * this.width),
    };
  }
}

export interface Tree {
  width: number;
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

/** Index of the leaf reached by row `row` of row-major X with d columns. */
export function leafIndex(t: Tree, X: Float64Array, row: number, d: number): number {
  const feature = t.feature;
  let node = 0;
  let f = feature[0];
  const base = row * d;
  while (f >= 0) {
    const v = X[base + f];
    const goLeft = v !== v ? t.missingLeft[node] === 1 : v <= t.threshold[node];
    node = goLeft ? t.left[node] : t.right[node];
    f = feature[node];
  }
  return node;
}

/** Number of leaves. */
export function leafCount(t: Tree): number {
  let c = 0;
  for (let i = 0; i < t.feature.length; i++) if (t.feature[i] < 0) c++;
  return c;
}

/** Depth of the deepest leaf (root = 0). */
export function treeDepth(t: Tree): number {
  let max = 0;
  const stack: number[] = [0, 0];
  while (stack.length) {
    const depth = stack.pop()!;
    const node = stack.pop()!;
    if (t.feature[node] < 0) max = Math.max(max, depth);
    else stack.push(t.left[node], depth + 1, t.right[node], depth + 1);
  }
  return max;
}

// JSON: typed arrays as base64 of their little-endian bytes (exact for doubles, ~3× smaller than number lists).
function b64(a: Int32Array | Float64Array | Uint8Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}
function unb64<T>(s: string, C: { new (buf: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  const buf = Buffer.from(s, 'base64');
  // Copy into a fresh, aligned ArrayBuffer (Buffer pools are not aligned for Float64Array).
  const ab = new ArrayBuffer(buf.byteLength);
  new Uint8Array(ab).set(buf);
  return new C(ab);
}

export const TreeJSONSchema = z.object({
  width: z.number().int().positive(),
  feature: z.string(),
  threshold: z.string(),
  missingLeft: z.string(),
  left: z.string(),
  right: z.string(),
  value: z.string(),
});
export type TreeJSON = z.infer<typeof TreeJSONSchema>;

export function treeToJSON(t: Tree): TreeJSON {
  return {
    width: t.width,
    feature: b64(t.feature),
    threshold: b64(t.threshold),
    missingLeft: b64(t.missingLeft),
    left: b64(t.left),
    right: b64(t.right),
    value: b64(t.value),
  };
}

export function treeFromJSON(j: TreeJSON): Tree {
  const t: Tree = {
    width: j.width,
    feature: unb64(j.feature, Int32Array),
    threshold: unb64(j.threshold, Float64Array),
    missingLeft: unb64(j.missingLeft, Uint8Array),
    left: unb64(j.left, Int32Array),
    right: unb64(j.right, Int32Array),
    value: unb64(j.value, Float64Array),
  };
  const c = t.feature.length;
  if (t.threshold.length !== c || t.left.length !== c || t.right.length !== c || t.value.length !== c * t.width) {
    throw new Error('corrupt tree JSON: array lengths differ');
  }
  return t;
}
