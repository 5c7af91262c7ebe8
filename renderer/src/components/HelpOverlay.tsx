import { LABELS, type Label } from '../../../core/labels.js';
import { ACTION_KEYS, LABEL_TEXT, keyLabel } from '../lib/keys.js';

/** Every key of the label screen, as configured. */
export function HelpOverlay({ labelKeys, onClose }: { labelKeys: Record<Label, string>; onClose: () => void }) {
  return (
    <div className="overlay" role="dialog" aria-label="Keyboard help" data-testid="help" onClick={onClose}>
      <div className="overlay-box" onClick={(e) => e.stopPropagation()}>
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
        <p className="muted">Label keys are remappable in Settings. Keys do nothing while you type in a field. Esc closes.</p>
        <button onClick={onClose}>Close</button>
      </div>
    </div>
  );
}
