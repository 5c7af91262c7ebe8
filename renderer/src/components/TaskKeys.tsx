import type { Label, Task } from '@core/labels.js';
import { LABEL_TEXT } from '../lib/keys.js';
import { taskKeys } from '../lib/feedback.js';

/** Which label keys the current task counts (and as which class), and which it stores without counting. */
export function TaskKeys({ task, labelKeys }: { task: Task; labelKeys: Record<Label, string> }) {
  const { counted, notCounted } = taskKeys(task, labelKeys);
  return (
    <div className="task-keys small" data-testid="task-keys">
      <span>
        counts for {task}:{' '}
        {counted.map((k) => (
          <span key={k.label} className="task-key" title={`${LABEL_TEXT[k.label]} → ${k.className}`}>
            <kbd>{k.key}</kbd> {LABEL_TEXT[k.label]}
          </span>
        ))}
      </span>
      {notCounted.length > 0 && (
        <span className="muted" data-testid="not-counted-keys">
          stored, not counted:{' '}
          {notCounted.map((k) => (
            <span key={k.label} className="task-key">
              <kbd>{k.key}</kbd> {LABEL_TEXT[k.label]}
            </span>
          ))}
        </span>
      )}
    </div>
  );
}
