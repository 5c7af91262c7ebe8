/** Synthetic labelled sets for the simulation tests (seeded; no real data). */
import { Rng } from '../../core/learn/random.js';
import type { Task } from '../../core/labels.js';
import type { SimDataset } from '../../core/loop/simulate/dataset.js';

/**
 * n alerts of n/perObject objects (alerts of one object share its class and sit near each other). Class 1 when
 * x0 > 0.6 (a minority near one edge: most of the pool is far from the boundary, where uncertainty sampling saves
 * labels), with `noise` of the objects' labels flipped; x1..x(d-1) are noise features.
 */
export function separableDataset(o: { n?: number; d?: number; perObject?: number; noise?: number; seed?: number; task?: Task } = {}): SimDataset {
  const n = o.n ?? 240;
  const d = o.d ?? 4;
  const per = o.perObject ?? 2;
  const rng = new Rng(o.seed ?? 1);
  const X = new Float64Array(n * d);
  const y = new Uint8Array(n);
  const objectIds: string[] = [];
  let base = 0;
  let cls = 0;
  for (let i = 0; i < n; i++) {
    const obj = Math.floor(i / per);
    if (i % per === 0) {
      base = rng.next() * 2 - 1;
      cls = base > 0.6 ? 1 : 0;
      if (rng.next() < (o.noise ?? 0.03)) cls = 1 - cls;
    }
    X[i * d] = base + (rng.next() - 0.5) * 0.02;
    for (let f = 1; f < d; f++) X[i * d + f] = rng.next();
    y[i] = cls;
    objectIds.push(`ZTF${String(obj).padStart(6, '0')}`);
  }
  return {
    task: o.task ?? 'gal',
    source: 'weak',
    X,
    n,
    d,
    names: Array.from({ length: d }, (_, f) => `f${f}`),
    y,
    candids: Array.from({ length: n }, (_, i) => String(1_000_000_000_000_000_000n + BigInt(i))),
    objectIds,
    labels: Array.from(y, (c) => (c === 1 ? 'gal' : 'extragal')),
  };
}
