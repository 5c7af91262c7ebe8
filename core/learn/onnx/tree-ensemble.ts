/**
 * The flat trees of hgb / hrf as the attribute arrays of ONNX's TreeEnsembleClassifier (ai.onnx.ml opset 3).
 * Node ids are the trees' own array indices (root 0). A split of tree.ts sends x <= threshold left and NaN to the
 * side learnt at training: BRANCH_LEQ with true = left and nodes_missing_value_tracks_true = missingLeft.
 * Thresholds stay doubles (nodes_values_as_tensor) and the input is a double tensor, so the runtime compares in
 * double exactly as the app does; a float32 threshold would send values within float rounding of it the wrong way.
 */
import type { Tree } from '../tree.js';

export interface EnsembleAttributes {
  nodesTreeIds: number[];
  nodesNodeIds: number[];
  nodesFeatureIds: number[];
  nodesModes: string[];
  nodesValues: number[];
  nodesTrueNodeIds: number[];
  nodesFalseNodeIds: number[];
  nodesMissingTracksTrue: number[];
  classTreeIds: number[];
  classNodeIds: number[];
  classIds: number[];
  classWeights: number[];
}

/** How a leaf's stored values become class votes. */
export type LeafVotes = (tree: Tree, node: number) => { classId: number; weight: number }[];

export function ensembleAttributes(trees: readonly Tree[], votes: LeafVotes): EnsembleAttributes {
  const a: EnsembleAttributes = {
    nodesTreeIds: [],
    nodesNodeIds: [],
    nodesFeatureIds: [],
    nodesModes: [],
    nodesValues: [],
    nodesTrueNodeIds: [],
    nodesFalseNodeIds: [],
    nodesMissingTracksTrue: [],
    classTreeIds: [],
    classNodeIds: [],
    classIds: [],
    classWeights: [],
  };
  trees.forEach((t, ti) => {
    for (let i = 0; i < t.feature.length; i++) {
      const leaf = t.feature[i] < 0;
      a.nodesTreeIds.push(ti);
      a.nodesNodeIds.push(i);
      a.nodesFeatureIds.push(leaf ? 0 : t.feature[i]);
      a.nodesModes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
      a.nodesValues.push(leaf ? 0 : t.threshold[i]);
      a.nodesTrueNodeIds.push(leaf ? 0 : t.left[i]);
      a.nodesFalseNodeIds.push(leaf ? 0 : t.right[i]);
      a.nodesMissingTracksTrue.push(leaf ? 0 : t.missingLeft[i]);
      if (!leaf) continue;
      for (const v of votes(t, i)) {
        a.classTreeIds.push(ti);
        a.classNodeIds.push(i);
        a.classIds.push(v.classId);
        a.classWeights.push(v.weight);
      }
    }
  });
  return a;
}
