import { useEffect, useRef } from 'react';
import { LABELS, type Label } from '@core/labels.js';
import { ACTION_KEYS, LABEL_TEXT, keyLabel } from '../lib/keys.js';

/**
 * Every key of the label screen, as configured, in a modal dialog: showModal() makes the page behind it inert (focus
 * stays in the dialog), Esc closes it, and no key pressed while it is open reaches the card.
 */
export function HelpOverlay({ labelKeys, onClose }: { labelKeys: Record<Label, string>; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="overlay-box help-dialog"
      aria-label="Keyboard help"
      aria-modal="true"
      data-testid="help"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onKeyDown={(e) => {
        // The label screen listens on window: keys typed in the dialog stop here.
        e.stopPropagation();
        if (e.key === '?') onClose();
      }}
    >
      <h2>Keys</h2>
      <table className="keys">
        <tbody>
          {LABELS.map((l) => (
            <tr key={l}>
              <td><kbd>{labelKeys[l]}</kbd></td>
              <td>label as <strong>{LABEL_TEXT[l]}</strong></td>
            </tr>
          ))}
          {ACTION_KEYS.map((a) => (
            <tr key={a.key}>
              <td><kbd>{keyLabel(a.key)}</kbd></td>
              <td>{a.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Label keys are remappable in Settings. Keys do nothing while you type in a field, and nothing to the card while
        this help is open. Holding a key down labels one card only. Esc closes.
      </p>
      <button onClick={onClose} autoFocus>Close</button>
    </dialog>
  );
}
