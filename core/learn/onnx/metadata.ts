/** What an exported model says about itself (ONNX metadata_props), so a scorer can refuse the wrong input. */
import { z } from 'zod';

export interface OnnxModelMeta {
  /** Feature-set version of core/features/names.ts (e.g. fs1). */
  featureSet: string;
  /** Input columns, in order. */
  featureNames: string[];
  task: string;
  /** Class names, by class index. */
  classNames: string[];
  survey: string;
  /** The tracked run the model comes from, or '' when it was trained outside a run (`finkvra train`). */
  runId: string;
  engine: string;
  /**
   * The dust map the store's ebv came from, when the store shows it (dust-record.ts): 'none' or 'sha256:<hex>' of a
   * HEALPix map file; absent when it cannot tell (a fetched SFD pair, or a store ingested with several maps).
   */
  dustMap?: string;
}

/** metadata_props keys (prefixed: the file may travel into other tools). */
const KEYS: Record<keyof OnnxModelMeta, string> = {
  featureSet: 'finkvra.feature_set',
  featureNames: 'finkvra.feature_names',
  task: 'finkvra.task',
  classNames: 'finkvra.class_names',
  survey: 'finkvra.survey',
  runId: 'finkvra.run_id',
  engine: 'finkvra.engine',
  dustMap: 'finkvra.dust_map',
};
const LISTS = new Set<keyof OnnxModelMeta>(['featureNames', 'classNames']);
/** Fields an older export (or one that cannot tell) leaves out. */
const OPTIONAL = new Set<keyof OnnxModelMeta>(['dustMap']);

export function metaToProps(m: OnnxModelMeta): { key: string; value: string }[] {
  return (Object.keys(KEYS) as (keyof OnnxModelMeta)[])
    .filter((k) => m[k] !== undefined)
    .map((k) => ({ key: KEYS[k], value: LISTS.has(k) ? JSON.stringify(m[k]) : String(m[k]) }));
}

const MetaSchema = z.object({
  featureSet: z.string().min(1),
  featureNames: z.array(z.string()).min(1),
  task: z.string(),
  classNames: z.array(z.string()).min(2),
  survey: z.string().min(1),
  runId: z.string(),
  engine: z.string(),
  dustMap: z.string().optional(),
});

/** Read the metadata back; `source` names the file in errors. */
export function metaFromProps(props: Record<string, string>, source: string): OnnxModelMeta {
  const raw: Record<string, unknown> = {};
  for (const k of Object.keys(KEYS) as (keyof OnnxModelMeta)[]) {
    const v = props[KEYS[k]];
    if (v === undefined && OPTIONAL.has(k)) continue;
    if (v === undefined) throw new Error(`${source}: metadata field ${KEYS[k]} is missing (not a finkvra export?)`);
    if (!LISTS.has(k)) raw[k] = v;
    else {
      try {
        raw[k] = JSON.parse(v);
      } catch {
        throw new Error(`${source}: metadata field ${KEYS[k]} is not a JSON list`);
      }
    }
  }
  const r = MetaSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`${source}: metadata field ${KEYS[i.path[0] as keyof OnnxModelMeta] ?? i.path.join('.')}: ${i.message}`);
  }
  return r.data;
}
