/** "Import labels" on the Data screen: the seed's labeled.csv, chosen by the app's dialog or uploaded in web mode. */
import { useRef, useState } from 'react';
import type { LabelsImportResult } from '@core/api/types.js';
import { call, errorText, isElectron, openFilesDialog } from '../api/client.js';

const MAX_LISTED = 10;

export function ImportLabels({ onImported }: { onImported: () => void }) {
  const [report, setReport] = useState<LabelsImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Web mode: a real button opens the hidden file input (a <label> around it would not take keyboard focus).
  const fileInput = useRef<HTMLInputElement>(null);

  const run = async (input: { path: string } | { name: string; text: string }) => {
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      setReport(await call('labels.import', input));
      onImported();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const choose = () =>
    void openFilesDialog('labels')
      .then((paths) => (paths?.[0] ? run({ path: paths[0] }) : undefined))
      .catch((err: unknown) => setError(errorText(err)));

  return (
    <div className="import-labels">
      <button onClick={isElectron ? choose : () => fileInput.current?.click()} disabled={busy} data-testid="import-labels">
        Import labels…
      </button>
      {!isElectron && (
        <input
          ref={fileInput}
          type="file"
          accept=".csv,text/csv"
          hidden
          data-testid="import-labels-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void f.text().then((text) => run({ name: f.name, text }));
          }}
        />
      )}
      <span className="muted small"> the seed's labeled.csv (candid, objectId, label, timestamp)</span>
      {error && <p className="error" role="alert">{error}</p>}
      {report && <ImportReportView r={report} />}
    </div>
  );
}

function ImportReportView({ r }: { r: LabelsImportResult }) {
  const lists: [string, string[]][] = [
    ['duplicates in the file (the last row wins)', r.duplicatesInFile.map((d) => `${d.candid}: rows ${d.rows.join(', ')}`)],
    ['changed labels (the old one stays in the history)', r.changed.map((c) => `${c.candid}: ${c.from} → ${c.to}`)],
    ['not ingested yet (stored; they count once ingested)', r.unknownCandids],
    ['rejected rows', r.invalid.map((i) => `row ${i.row}: ${i.reason}`)],
  ];
  return (
    <div data-testid="import-result">
      <p className="note">
        {r.file}: {r.rows} row(s), {r.imported} imported, {r.unchanged} unchanged, {r.changed.length} changed,{' '}
        {r.invalid.length} rejected.
      </p>
      {lists
        .filter(([, items]) => items.length > 0)
        .map(([title, items]) => (
          <details key={title}>
            <summary>{title} ({items.length})</summary>
            <ul className="small">
              {items.slice(0, MAX_LISTED).map((x) => <li key={x}>{x}</li>)}
              {items.length > MAX_LISTED && <li>… and {items.length - MAX_LISTED} more</li>}
            </ul>
          </details>
        ))}
    </div>
  );
}
