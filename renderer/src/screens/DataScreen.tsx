/** Add alert files (dialog, drag-and-drop or server-side paths), watch the ingest, see counts per survey and night. */
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { DataSummary, IngestSummary, JobStatus, SourceFileRow } from '@core/api/types.js';
import { call, errorText, isElectron, openFilesDialog, pathOfDroppedFile, uploadAndIngest } from '../api/client.js';
import { ImportLabels } from '../components/ImportLabels.js';
import { JobProgress } from '../components/JobProgress.js';
import { ExportButtons } from './ModelScreen.js';
import { SURVEY_LABELS } from '@core/surveys/registry.js';

export function DataScreen() {
  const [summary, setSummary] = useState<DataSummary | null>(null);
  const [files, setFiles] = useState<SourceFileRow[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);
  const [job, setJob] = useState<JobStatus | null>(null);
  const [paths, setPaths] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [drag, setDrag] = useState(false);

  const [generation, setGeneration] = useState(0);
  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  useEffect(() => {
    let live = true;
    Promise.all([call('data.summary', {}), call('data.files', {})])
      .then(([s, f]) => {
        if (!live) return;
        setSummary(s);
        setFiles(f);
      })
      .catch((err: unknown) => live && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [generation]);

  // Poll the ingest job until it ends, then refresh the counts.
  const jobId = job?.state === 'running' ? job.id : null;
  useEffect(() => {
    if (!jobId) return;
    const t = setInterval(() => {
      void call('jobs.get', { id: jobId })
        .then((j) => {
          setJob(j);
          if (j.state !== 'running') refresh();
        })
        .catch((err: unknown) => setError(errorText(err)));
    }, 400);
    return () => clearInterval(t);
  }, [jobId, refresh]);

  const startJob = async (p: Promise<{ jobId: string }>) => {
    setError(null);
    try {
      const { jobId: id } = await p;
      setJob(await call('jobs.get', { id }));
    } catch (err) {
      setError(errorText(err));
    }
  };

  const ingestPaths = (list: string[]) => {
    if (list.length) void startJob(call('data.ingest', { paths: list }));
  };

  const upload = async (fileList: FileList | File[]) => {
    const arr = [...fileList];
    if (!arr.length) return;
    void startJob(uploadAndIngest(arr));
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDrag(false);
    const dropped = [...e.dataTransfer.files];
    // In the app a dropped file is on disk: ingest it in place instead of uploading its bytes.
    const paths = dropped.map(pathOfDroppedFile);
    if (isElectron && paths.every(Boolean)) ingestPaths(paths);
    else void upload(dropped);
  };
  const choose = (kind: 'files' | 'folder') =>
    void openFilesDialog(kind)
      .then((p) => p && ingestPaths(p))
      .catch((err: unknown) => setError(errorText(err)));

  const result = job?.state === 'done' ? (job.result as IngestSummary | null) : null;

  return (
    <div className="data-screen">
      <section
        className={`dropzone${drag ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDrag(true);
        }}
        onDragLeave={() => setDrag(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <h2>Add alert files</h2>
        <p className="muted">Fink parquet or avro files, ZTF or Rubin/LSST (told apart by their schema). Drop them here, or:</p>
        <div className="row">
          {isElectron ? (
            <>
              <button className="primary" onClick={() => choose('files')}>Choose files…</button>
              <button onClick={() => choose('folder')}>Choose a folder…</button>
            </>
          ) : (
            <>
              {/* A real button opens the hidden input: a <label> around it would not take keyboard focus. */}
              <button className="primary" onClick={() => fileInput.current?.click()} data-testid="choose-files">Choose files…</button>
              <input
                ref={fileInput}
                type="file"
                multiple
                accept=".parquet,.avro"
                hidden
                data-testid="file-input"
                onChange={(e) => e.target.files && void upload(e.target.files)}
              />
            </>
          )}
        </div>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            ingestPaths(paths.split('\n').map((s) => s.trim()).filter(Boolean));
          }}
        >
          <textarea
            rows={2}
            placeholder="…or paths on this machine (files or folders), one per line"
            value={paths}
            onChange={(e) => setPaths(e.target.value)}
            data-testid="paths"
          />
          <button type="submit" disabled={!paths.trim() || job?.state === 'running'}>
            Ingest
          </button>
        </form>
        {job && (
          <div className="job-line" data-testid="ingest-job">
            <JobProgress job={job} />
            {job.state === 'running' && job.progress !== null && <progress max={1} value={job.progress} />}
          </div>
        )}
        {result && (
          <div data-testid="ingest-result">
            <p>
              Read {result.alertsRead} alerts, {result.newAlerts} new, {result.failed} file(s) failed, in{' '}
              {result.seconds.toFixed(1)} s.
            </p>
            <ul className="file-results">
              {result.files.map((f) => (
                <li key={f.file} className={f.ok ? '' : 'error'}>
                  {f.file}: {f.ok ? (f.skipped ? 'already ingested' : `${f.survey ? `${SURVEY_LABELS[f.survey]}, ` : ''}${f.rows} rows, ${f.newAlerts} new`) : f.error}
                </li>
              ))}
            </ul>
            {result.warnings.map((w) => (
              <p className="warning" key={w}>{w}</p>
            ))}
          </div>
        )}
        {error && <p className="error" role="alert">{error}</p>}
      </section>

      {summary && (
        <section>
          <h2>In the store</h2>
          <dl className="counts" data-testid="counts">
            <div><dt>alerts</dt><dd>{summary.alerts}</dd></div>
            <div><dt>objects</dt><dd>{summary.objects}</dd></div>
            <div><dt>with features</dt><dd>{summary.withFeatures}</dd></div>
            <div><dt>labelled</dt><dd>{summary.labelled}</dd></div>
            <div><dt>files</dt><dd>{summary.files}</dd></div>
            <div><dt>failed files</dt><dd>{summary.failedFiles}</dd></div>
          </dl>
          <table className="grid" data-testid="survey-counts">
            <thead>
              <tr><th>survey</th><th>alerts</th><th>objects</th><th>labelled</th><th>in pool</th><th>nights</th><th>files</th></tr>
            </thead>
            <tbody>
              {summary.surveys
                .filter((v) => v.alerts > 0)
                .map((v) => (
                  <tr key={v.survey} data-survey={v.survey}>
                    <td>{SURVEY_LABELS[v.survey]}</td><td>{v.alerts}</td><td>{v.objects}</td><td>{v.labelled}</td>
                    <td>{v.pool}</td><td>{v.nights}</td><td>{v.files}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          <p className="muted small">Database: <code>{summary.dbPath}</code></p>
          <div className="row labels-io">
            <ImportLabels onImported={refresh} />
            {summary.labelled > 0 && <ExportButtons onError={setError} />}
          </div>
          {Object.keys(summary.labelCounts).length > 0 && (
            <p>
              Labels:{' '}
              {Object.entries(summary.labelCounts)
                .map(([k, v]) => `${k} ${v}`)
                .join(' · ')}
            </p>
          )}
          <h3>Nights</h3>
          <table className="grid" data-testid="nights">
            <thead>
              <tr><th>night</th><th>survey</th><th>alerts</th><th>in pool</th><th>labelled</th></tr>
            </thead>
            <tbody>
              {summary.nights.map((n) => (
                <tr key={`${n.survey}:${n.night}`}>
                  <td>{n.night}</td><td>{SURVEY_LABELS[n.survey]}</td><td>{n.alerts}</td><td>{n.pool}</td><td>{n.labelled}</td>
                </tr>
              ))}
              {summary.nights.length === 0 && (
                <tr><td colSpan={5} className="muted">No alerts yet.</td></tr>
              )}
            </tbody>
          </table>
          {files.length > 0 && (
            <>
              <h3>Files</h3>
              <table className="grid small" data-testid="files">
                <thead>
                  <tr><th>file</th><th>rows</th><th>new</th><th>ingested</th><th>error</th></tr>
                </thead>
                <tbody>
                  {files.map((f) => (
                    <tr key={f.id} className={f.error ? 'error' : ''}>
                      <td className="path" title={f.path}>{f.path}</td>
                      <td>{f.rows ?? '—'}</td>
                      <td>{f.newAlerts ?? '—'}</td>
                      <td>{f.ingestedAt.slice(0, 19).replace('T', ' ')}</td>
                      <td>{f.error ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
      )}
    </div>
  );
}
