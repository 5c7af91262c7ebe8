/** The label screen's key map: label keys from settings (remappable) plus fixed action keys. */
import { LABELS, type Label } from '@core/labels.js';

export type Action =
  | { kind: 'label'; label: Label }
  | { kind: 'skip' }
  | { kind: 'undo' }
  | { kind: 'prev' }
  | { kind: 'next' }
  | { kind: 'lasair' }
  | { kind: 'fink' }
  | { kind: 'help' };

export const ACTION_KEYS: { key: string; action: Action; text: string }[] = [
  { key: 's', action: { kind: 'skip' }, text: 'skip this alert' },
  { key: 'z', action: { kind: 'undo' }, text: 'undo the last label' },
  { key: 'ArrowLeft', action: { kind: 'prev' }, text: 'previous card' },
  { key: 'ArrowRight', action: { kind: 'next' }, text: 'next card' },
  { key: 'l', action: { kind: 'lasair' }, text: 'toggle the Lasair pane' },
  { key: 'f', action: { kind: 'fink' }, text: "open Fink's page" },
  { key: '?', action: { kind: 'help' }, text: 'this help' },
];

export const LABEL_TEXT: Record<Label, string> = {
  real: 'real',
  extragal: 'extragalactic',
  gal: 'galactic',
  agn: 'AGN',
  bogus: 'bogus',
  varstar: 'variable star',
};

export function buildKeyMap(labelKeys: Record<Label, string>): Map<string, Action> {
  const map = new Map<string, Action>();
  for (const { key, action } of ACTION_KEYS) map.set(key, action);
  // Label keys win over action keys if a user remaps onto one (their explicit choice).
  for (const label of LABELS) if (labelKeys[label]) map.set(labelKeys[label].toLowerCase(), { kind: 'label', label });
  return map;
}

/** The parts of a KeyboardEvent we read (structural, so this module needs no DOM types). */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export function keyOf(e: KeyLike): string | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  return e.key.length === 1 ? e.key.toLowerCase() : e.key;
}

export function keyLabel(key: string): string {
  return key === 'ArrowLeft' ? '←' : key === 'ArrowRight' ? '→' : key;
}
