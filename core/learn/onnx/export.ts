/**
 * A fitted hgb or hrf model as an ONNX TreeEnsembleClassifier (ai.onnx.ml opset 3), written with onnx-proto
 * (protobufjs). Input `features`: double [N, d] in the model's feature order, NaN = missing. Outputs `label`
 * (int64 [N]) and `probabilities` (float [N, nClasses]).
 * - hgb: P(1) = sigmoid(baseline + sum of leaf values): one vote per leaf, one base value, post_transform LOGISTIC.
 *   The votes go to class id 0: ONNX-ML's two-class convention (the one skl2onnx writes), where a single score is the
 *   positive class's and the runtime expands it to [1 − p, p].
 * - hrf: P(k) = mean over trees of the leaf's class fraction: class weights fraction / nTrees, post_transform NONE.
 * mlrf (ml-random-forest) keeps its trees in that library's own objects with no missing-value routing: not exported.
 */
import onnxProto from 'onnx-proto';
import { z } from 'zod';
import { EngineJSONSchema, type EngineJSON } from '../classifier.js';
import { treeFromJSON, TreeJSONSchema, type Tree } from '../tree.js';
import { metaToProps, type OnnxModelMeta } from './metadata.js';
import { ensembleAttributes, type EnsembleAttributes, type LeafVotes } from './tree-ensemble.js';

const { onnx } = onnxProto;
type Attr = InstanceType<typeof onnx.AttributeProto>;
const AT = onnx.AttributeProto.AttributeType;

export const ONNX_INPUT = 'features';
export const ONNX_LABEL = 'label';
export const ONNX_PROBABILITIES = 'probabilities';
export const ML_OPSET = 3;

export class NotExportableError extends Error {}

const TreesSchema = z.object({ trees: z.array(TreeJSONSchema) });
const HgbSchema = TreesSchema.extend({ baseline: z.number() });

interface EnsembleSpec {
  attrs: EnsembleAttributes;
  baseValues: number[] | null;
  postTransform: 'LOGISTIC' | 'NONE';
}

function hgbSpec(model: unknown): EnsembleSpec {
  const m = HgbSchema.parse(model);
  const votes: LeafVotes = (t, i) => [{ classId: 0, weight: t.value[i] }];
  return { attrs: ensembleAttributes(m.trees.map(treeFromJSON), votes), baseValues: [m.baseline], postTransform: 'LOGISTIC' };
}

function hrfSpec(model: unknown, nClasses: number): EnsembleSpec {
  const trees: Tree[] = TreesSchema.parse(model).trees.map(treeFromJSON);
  const inv = 1 / trees.length;
  const votes: LeafVotes = (t, i) =>
    Array.from({ length: nClasses }, (_, k) => ({ classId: k, weight: t.value[i * t.width + k] * inv }));
  return { attrs: ensembleAttributes(trees, votes), baseValues: null, postTransform: 'NONE' };
}

const ints = (name: string, v: number[]): Attr => onnx.AttributeProto.create({ name, type: AT.INTS, ints: v });
const doubles = (name: string, v: number[]): Attr =>
  onnx.AttributeProto.create({
    name,
    type: AT.TENSOR,
    t: onnx.TensorProto.create({ dims: [v.length], dataType: onnx.TensorProto.DataType.DOUBLE, doubleData: v }),
  });
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const strings = (name: string, v: string[]): Attr => onnx.AttributeProto.create({ name, type: AT.STRINGS, strings: v.map(text) });
const str = (name: string, v: string): Attr => onnx.AttributeProto.create({ name, type: AT.STRING, s: text(v) });

function classifierNode(spec: EnsembleSpec, nClasses: number) {
  const a = spec.attrs;
  const attribute: Attr[] = [
    ints('nodes_treeids', a.nodesTreeIds),
    ints('nodes_nodeids', a.nodesNodeIds),
    ints('nodes_featureids', a.nodesFeatureIds),
    strings('nodes_modes', a.nodesModes),
    doubles('nodes_values_as_tensor', a.nodesValues),
    ints('nodes_truenodeids', a.nodesTrueNodeIds),
    ints('nodes_falsenodeids', a.nodesFalseNodeIds),
    ints('nodes_missing_value_tracks_true', a.nodesMissingTracksTrue),
    ints('class_treeids', a.classTreeIds),
    ints('class_nodeids', a.classNodeIds),
    ints('class_ids', a.classIds),
    doubles('class_weights_as_tensor', a.classWeights),
    ints('classlabels_int64s', Array.from({ length: nClasses }, (_, k) => k)),
    str('post_transform', spec.postTransform),
  ];
  if (spec.baseValues) attribute.push(doubles('base_values_as_tensor', spec.baseValues));
  return onnx.NodeProto.create({
    opType: 'TreeEnsembleClassifier',
    domain: 'ai.onnx.ml',
    name: 'finkvra_trees',
    input: [ONNX_INPUT],
    output: [ONNX_LABEL, ONNX_PROBABILITIES],
    attribute,
  });
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType,
        shape: onnx.TensorShapeProto.create({
          dim: dims.map((d) => onnx.TensorShapeProto.Dimension.create(typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        }),
      }),
    }),
  });
}

/** Serialise a fitted engine (its toJSON()) with the metadata; throws NotExportableError for mlrf or an unfitted model. */
export function exportOnnx(engineJson: EngineJSON, meta: OnnxModelMeta): Uint8Array {
  const json = EngineJSONSchema.parse(engineJson);
  if (json.model == null) throw new NotExportableError('the model is not fitted: nothing to export');
  if (json.featureNames.length !== json.nFeatures) {
    throw new Error(`ONNX export: field featureNames: the model names ${json.featureNames.length} features, it has ${json.nFeatures}`);
  }
  const n = Math.max(meta.featureNames.length, json.featureNames.length);
  for (let i = 0; i < n; i++) {
    if (meta.featureNames[i] !== json.featureNames[i]) {
      throw new Error(
        `ONNX export: field featureNames: feature ${i} is ${meta.featureNames[i] ?? '(none)'} in the metadata, ${json.featureNames[i] ?? '(none)'} in the model`,
      );
    }
  }
  if (meta.classNames.length !== json.nClasses) {
    throw new Error(`ONNX export: ${meta.classNames.length} class names for a model of ${json.nClasses} classes`);
  }
  let spec: EnsembleSpec;
  if (json.engine === 'hgb') spec = hgbSpec(json.model);
  else if (json.engine === 'hrf') spec = hrfSpec(json.model, json.nClasses);
  else {
    throw new NotExportableError(
      'the mlrf engine (ml-random-forest) cannot be exported to ONNX: its trees have no missing-value routing; train with hgb or hrf',
    );
  }
  const T = onnx.TensorProto.DataType;
  const graph = onnx.GraphProto.create({
    name: `finkvra_${json.engine}`,
    node: [classifierNode(spec, json.nClasses)],
    input: [valueInfo(ONNX_INPUT, T.DOUBLE, ['N', json.nFeatures])],
    output: [valueInfo(ONNX_LABEL, T.INT64, ['N']), valueInfo(ONNX_PROBABILITIES, T.FLOAT, ['N', json.nClasses])],
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'finkvra',
    producerVersion: '1',
    domain: 'org.finkvra',
    docString: `finkvra ${json.engine} model for task ${meta.task}`,
    opsetImport: [
      onnx.OperatorSetIdProto.create({ domain: '', version: 15 }),
      onnx.OperatorSetIdProto.create({ domain: 'ai.onnx.ml', version: ML_OPSET }),
    ],
    graph,
    metadataProps: metaToProps({ ...meta, engine: json.engine }).map((p) => onnx.StringStringEntryProto.create(p)),
  });
  return onnx.ModelProto.encode(model).finish();
}
