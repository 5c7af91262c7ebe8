/**
 * Flat binary trees on typed arrays, shared by the gradient-boosted and the random-forest engines.
 * Node i is a leaf when feature[i] < 0. A split sends x <= threshold left, x > threshold right and NaN to the side
 * learnt at training time (missingLeft). Leaves hold `width` values (one raw score for boosting, class fractions for
 * the forest).
 */
import { z } from 'zod';

/** The per-node arrays of a tree and their types, in JSON order. */
const NODE_ARRAYS = {
  feature: Int32Array,
  threshold: Float64Array,
  missingLeft: Uint8Array,
  left: Int32Array,
  right: Int32Array,
  value: Float64Array,
} as const;
type NodeArrayName = keyof typeof NODE_ARRAYS;
const NODE_ARRAY_NAMES = Object.keys(NODE_ARRAYS) as NodeArrayName[];
type NodeArrays = { [K in NodeArrayName]: InstanceType<(typeof NODE_ARRAYS)[K]> };

export interface Tree extends NodeArrays {
  /** Values per leaf: `value` holds node count × width numbers. */
  width: number;
}

/** Fresh zeroed arrays for `capacity` nodes (value gets capacity × width), or copies of `from` grown to that size. */
function nodeArrays(capacity: number, width: number, from?: NodeArrays): NodeArrays {
  const out = {} as Record<NodeArrayName, Int32Array | Float64Array | Uint8Array>;
  for (const k of NODE_ARRAY_NAMES) {
    const a = new NODE_ARRAYS[k](k === 'value' ? capacity * width : capacity);
    if (from) a.set(from[k].subarray(0, a.length));
    out[k] = a;
  }
  return out as NodeArrays;
}

export class TreeBuilder {
  private a: NodeArrays;
  count = 0;

  constructor(
    readonly width: number,
    capacity = 64,
  ) {
    this.a = nodeArrays(capacity, width);
  }

  /** Leaf values (count × width), written by the engines once a leaf's rows are known. */
  get value(): Float64Array {
    return this.a.value;
  }

  /** Append a leaf (callers may turn it into a split later). */
  addLeaf(): number {
    if (this.count === this.a.feature.length) this.a = nodeArrays(this.count * 2, this.width, this.a);
    const i = this.count++;
    this.a.feature[i] = -1;
    this.a.left[i] = -1;
    this.a.right[i] = -1;
    return i;
  }

  setSplit(node: number, feature: number, threshold: number, missingLeft: boolean, left: number, right: number): void {
    const a = this.a;
    a.feature[node] = feature;
    a.threshold[node] = threshold;
    a.missingLeft[node] = missingLeft ? 1 : 0;
    a.left[node] = left;
    a.right[node] = right;
  }

  finish(): Tree {
    return { width: this.width, ...nodeArrays(this.count, this.width, this.a) };
  }
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
function unb64(s: string, C: new (buf: ArrayBuffer) => Int32Array | Float64Array | Uint8Array): Int32Array | Float64Array | Uint8Array {
  const buf = Buffer.from(s, 'base64');
  // Copy into a fresh, aligned ArrayBuffer (Buffer pools are not aligned for Float64Array).
  const ab = new ArrayBuffer(buf.byteLength);
  new Uint8Array(ab).set(buf);
  return new C(ab);
}

export const TreeJSONSchema = z.object({
  width: z.number().int().positive(),
  ...(Object.fromEntries(NODE_ARRAY_NAMES.map((k) => [k, z.string()])) as Record<NodeArrayName, z.ZodString>),
});
export type TreeJSON = z.infer<typeof TreeJSONSchema>;

export function treeToJSON(t: Tree): TreeJSON {
  const j = { width: t.width } as TreeJSON;
  for (const k of NODE_ARRAY_NAMES) j[k] = b64(t[k]);
  return j;
}

export function treeFromJSON(j: TreeJSON): Tree {
  const arrays = {} as Record<NodeArrayName, Int32Array | Float64Array | Uint8Array>;
  for (const k of NODE_ARRAY_NAMES) arrays[k] = unb64(j[k], NODE_ARRAYS[k]);
  const t: Tree = { width: j.width, ...(arrays as NodeArrays) };
  const c = t.feature.length;
  if (t.threshold.length !== c || t.left.length !== c || t.right.length !== c || t.value.length !== c * t.width) {
    throw new Error('corrupt tree JSON: array lengths differ');
  }
  return t;
}
