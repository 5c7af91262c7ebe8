/**
 * The heart of the app: one alert card at a time from the proposed batch, labelled with one key. A label lands on
 * the card the person saw: a held key labels once, a key pressed before a card was painted is not applied to it,
 * and a line says what each press did.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LoopState, Settings } from '@core/api/types.js';
import { TASK_CLASS_NAMES, type Label } from '@core/labels.js';
import { call, errorText, isElectron, onMenu, onPaneEvent, openExternal, paneHide, paneShow } from '../api/client.js';
import { AlertCardView } from '../components/AlertCardView.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { JobProgress } from '../components/JobProgress.js';
import { CardCache, type PreparedCard } from '../lib/cardCache.js';
import { nextOpen } from '../lib/batch.js';
import { buildKeyMap, keyOf, type Action } from '../lib/keys.js';
import { batchCounts, cardKeyVerdict, countsForTask, labelFeedback, undoFeedback, VERDICT_TEXT } from '../lib/feedback.js';
import { TaskKeys } from '../components/TaskKeys.js';
import { SurveySwitchNote } from '../components/SurveySwitchNote.js';
import { SURVEY_LABELS } from '@core/surveys/registry.js';
import { isTypingTarget } from '../lib/typing.js';
import { embedsLasairPage, missingLinkText } from '../lib/survey.js';

const batchKey = (s: LoopState | null) => (s ? `${s.round}:${s.batch.map((b) => b.candid).join(',')}` : '');

type BatchItem = LoopState['batch'][number];
/** A card of an earlier batch brought back by undo, to be labelled again. */
interface Revisit {
  item: BatchItem;
  prepared: PreparedCard;
}
/** How long a feedback line stays. */
const FEEDBACK_MS = 4000;

function revisitItem(prepared: PreparedCard, label: BatchItem['label']): BatchItem {
  const c = prepared.card;
  const p = c.proposal ?? { candid: c.candid, objectId: c.objectId, rank: 0, prob: null, score: null, strategy: '', reason: '' };
  return { ...p, label, skipped: false };
}

export function LabelScreen({
  settings,
  storePath,
  onSettings,
}: {
  settings: Settings;
  storePath: string | null;
  /** Settings changed here (a survey switch from the empty-pool message). */
  onSettings?: (s: Settings) => void;
}) {
  const [loop, setLoopState] = useState<LoopState | null>(null);
  /** Position in the batch; batch.length = the "batch done" view. */
  const [pos, setPosState] = useState(0);
  const [shown, setShown] = useState<PreparedCard | null>(null);
  const [help, setHelp] = useState(false);
  const [pane, setPane] = useState(false);
  /** The app's Lasair pane could not load (offline): show the placeholder with links instead. */
  const [paneFailed, setPaneFailed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [feedback, setFeedback] = useState<{ text: string; warn: boolean } | null>(null);
  const [revisit, setRevisitState] = useState<Revisit | null>(null);
  /** A new round's batch that arrived while the person was still on the old one (relabelling). */
  const [newBatch, setNewBatch] = useState<LoopState | null>(null);
  const [starting, setStarting] = useState(false);
  const cache = useRef(new CardCache()).current;
  // Queued actions read the latest state through refs, updated at once (not on the next render).
  const loopRef = useRef<LoopState | null>(null);
  const posRef = useRef(0);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const queued = useRef(0);
  const revisitRef = useRef<Revisit | null>(null);
  const shownRef = useRef<PreparedCard | null>(null);
  /** The candid of the card on screen once painted (null while the next one is not): keys apply to that card only. */
  const paintedRef = useRef<string | null>(null);
  const helpRef = useRef(false);
  useEffect(() => {
    helpRef.current = help;
  }, [help]);
  const feedbackTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const say = useCallback((text: string, warn = false) => {
    setFeedback({ text, warn });
    clearTimeout(feedbackTimer.current);
    feedbackTimer.current = setTimeout(() => setFeedback(null), FEEDBACK_MS);
  }, []);
  useEffect(() => () => clearTimeout(feedbackTimer.current), []);
  const setRevisit = useCallback((r: Revisit | null) => {
    revisitRef.current = r;
    setRevisitState(r);
  }, []);
  /** The card to show; the painted candid is forgotten until the new card is on screen. */
  const showCard = useCallback((p: PreparedCard | null) => {
    if (p !== shownRef.current) paintedRef.current = null;
    shownRef.current = p;
    setShown(p);
  }, []);
  const setLoop = useCallback((s: LoopState) => {
    loopRef.current = s;
    setLoopState(s);
  }, []);
  const setPos = useCallback((i: number) => {
    posRef.current = i;
    setPosState(i);
  }, []);
  const keyMap = useMemo(() => buildKeyMap(settings.labelKeys), [settings.labelKeys]);

  /** Show item i of the batch (or the done view), prefetching the next ones. */
  const go = useCallback(
    async (state: LoopState, i: number) => {
      const batch = state.batch;
      setRevisit(null);
      if (i < 0 || i >= batch.length) {
        setPos(batch.length);
        showCard(null);
        return;
      }
      const prepared = await cache.get(batch[i].candid);
      setPos(i);
      showCard(prepared);
      cache.prefetch([batch[i + 1]?.candid, batch[i + 2]?.candid, batch[i - 1]?.candid]);
    },
    [cache, setPos, setRevisit, showCard],
  );

  /** Bring back a card of an earlier batch (an undo went past the start of this one). */
  const goRevisit = useCallback(
    async (candid: string, label: BatchItem['label']) => {
      const prepared = await cache.get(candid);
      setRevisit({ item: revisitItem(prepared, label), prepared });
      showCard(prepared);
      return prepared.card.objectId;
    },
    [cache, setRevisit, showCard],
  );

  useEffect(() => {
    call('loop.state', {})
      .then((s) => {
        setLoop(s);
        return go(s, s.cursor);
      })
      .catch((err: unknown) => setError(errorText(err)));
  }, [go, setLoop]);

  // "painted": after React committed the new card and the browser painted it (rAF + a task after the frame).
  useLayoutEffect(() => {
    if (!shown) return;
    const candid = shown.card.candid;
    performance.mark('commit', { detail: candid });
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (shownRef.current === shown) paintedRef.current = candid;
        performance.mark('painted', { detail: candid });
      }, 0),
    );
  }, [shown]);

  // While a round trains in the background (or the batch is done), poll until the new batch is there.
  const done = loop !== null && loop.batch.length > 0 && pos >= loop.batch.length;
  const waiting = loop !== null && (loop.pendingJob?.state === 'running' || done);
  useEffect(() => {
    if (!waiting) return;
    const t = setInterval(() => {
      void call('loop.state', {})
        .then(async (s) => {
          const old = loopRef.current;
          const changed = batchKey(s) !== batchKey(old);
          const onOldCard = old && ((old.batch.length > 0 && posRef.current < old.batch.length) || revisitRef.current);
          if (changed && onOldCard) {
            // Still on a card of the old batch (or one an undo brought back): do not swap it under the person's eyes.
            setNewBatch(s);
            return;
          }
          setLoop(s);
          if (changed) {
            setNewBatch(null);
            await go(s, s.cursor);
          }
        })
        .catch((err: unknown) => setError(errorText(err)));
    }, 600);
    return () => clearInterval(t);
  }, [waiting, go, setLoop]);

  // The Lasair pane follows the card in the app; a card without a Lasair page gets the placeholder with its links.
  const objectId = shown?.card.objectId ?? null;
  const appPane = !!shown && embedsLasairPage(shown.card);
  useEffect(() => {
    if (!isElectron) return;
    (pane && objectId && appPane ? paneShow(objectId) : paneHide()).catch((err: unknown) => setError(errorText(err)));
  }, [pane, objectId, appPane]);
  useEffect(() => () => void paneHide().catch(() => undefined), []);
  useEffect(
    () =>
      onPaneEvent((e) => {
        if (e.type === 'failed') setPaneFailed(true);
        if (e.type === 'loaded') setPaneFailed(false);
      }),
    [],
  );
  // The app menu offers the same actions as the keys.
  useEffect(
    () =>
      onMenu((c) => {
        if (c === 'togglePane') setPane((p) => !p);
        if (c === 'showKeys') setHelp(true);
      }),
    [],
  );

  /** After a label or skip: the next open card of this batch, or the start of a new batch if one came with it. */
  const follow = useCallback(
    async (before: LoopState, after: LoopState, i: number) => {
      setLoop(after);
      if (batchKey(after) !== batchKey(before)) {
        setNewBatch(null);
        await go(after, after.cursor);
      } else await go(after, nextOpen(after.batch, i));
    },
    [go, setLoop],
  );

  /** Label or skip the card on screen (a batch card, or a revisited one), then show the next open card. */
  const onCard = useCallback(
    async (a: Extract<Action, { kind: 'label' | 'skip' }>, state: LoopState, seen: string | null) => {
      const rv = revisitRef.current;
      const i = posRef.current;
      const item = rv ? rv.item : state.batch[i];
      if (!item) return;
      if (cardKeyVerdict(false, seen, item.candid) !== 'apply') return say(VERDICT_TEXT.unseen, true);
      let after: LoopState;
      if (a.kind === 'label') {
        // The label is in the store (acknowledged) before the next card shows.
        const ack = await call('labels.set', { candid: item.candid, label: a.label });
        performance.mark('acked');
        after = ack.state;
        const text = labelFeedback({ label: a.label, objectId: item.objectId, task: after.task, previous: item.label, offBatch: !!rv });
        say(text, !countsForTask(after.task, a.label));
      } else {
        after = await call('labels.skip', { candid: item.candid });
        say(`skipped ${item.objectId}${rv ? ' (previous batch)' : ''}`);
      }
      if (rv) {
        setLoop(after);
        await go(after, after.cursor);
      } else await follow(state, after, i);
    },
    [go, setLoop, follow, say],
  );

  const undo = useCallback(async () => {
    const ack = await call('labels.undo', {});
    if (!ack) return say('nothing to undo', true);
    setLoop(ack.state);
    const j = ack.state.batch.findIndex((b) => b.candid === ack.candid);
    if (j >= 0) {
      await go(ack.state, j);
      say(undoFeedback(ack.state.batch[j].objectId, ack.label));
    } else {
      // Past the start of this batch: that card comes back, to be labelled again.
      const objectId = await goRevisit(ack.candid, ack.label);
      say(`${undoFeedback(objectId, ack.label)} (from an earlier batch)`);
    }
  }, [go, goRevisit, setLoop, say]);

  const run = useCallback(
    async (a: Action, seen: string | null) => {
      const state = loopRef.current;
      if (a.kind === 'help') return setHelp((h) => !h);
      const card = shownRef.current?.card;
      if (a.kind === 'lasair') {
        // The pane opens all the same (it says there is no page); the line says why at once.
        const missing = card && missingLinkText(card, 'lasair');
        if (missing) say(missing, true);
        return setPane((p) => !p);
      }
      if (!state) return;
      const i = posRef.current;
      if (a.kind === 'fink') {
        if (!card) return;
        const missing = missingLinkText(card, 'fink');
        if (missing) return say(missing, true);
        openExternal(card.links.fink as string);
        return;
      }
      setError(null);
      try {
        switch (a.kind) {
          case 'label':
          case 'skip':
            await onCard(a, state, seen);
            break;
          case 'undo':
            await undo();
            break;
          case 'prev':
            if (revisitRef.current) await go(state, Math.min(i, state.batch.length));
            else if (i > 0) await go(state, Math.min(i, state.batch.length) - 1);
            break;
          case 'next':
            if (revisitRef.current) await go(state, Math.min(i, state.batch.length));
            else if (i < state.batch.length - 1) await go(state, i + 1);
            break;
        }
      } catch (err) {
        setError(errorText(err));
      }
    },
    [go, onCard, undo, say],
  );

  /** Keys pressed while a label is being written are queued, in order (a few at most), not dropped. */
  const act = useCallback(
    (a: Action, seen: string | null) => {
      if (queued.current >= 4) return;
      queued.current++;
      queue.current = queue.current.then(() => run(a, seen)).finally(() => void queued.current--);
    },
    [run],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target)) return;
      const k = keyOf(e);
      // The help dialog is modal: no key reaches the card while it is open.
      if (helpRef.current) {
        if (k === 'Escape') setHelp(false);
        return;
      }
      const a = k ? keyMap.get(k) : undefined;
      if (!a) return;
      e.preventDefault();
      // Auto-repeat of a held key is not a press: it would act on cards the person never saw.
      if (e.repeat) {
        if (a.kind === 'label' || a.kind === 'skip' || a.kind === 'undo') say(VERDICT_TEXT.repeat, true);
        return;
      }
      if (a.kind === 'label' || a.kind === 'skip' || a.kind === 'undo' || a.kind === 'prev' || a.kind === 'next') {
        performance.mark('key', { detail: k });
      }
      act(a, paintedRef.current);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keyMap, act, say]);

  const startRound = async () => {
    setStarting(true);
    setError(null);
    try {
      await call('loop.startRound', {});
      const s = await call('loop.state', {});
      setLoop(s);
      if (s.batch.length && posRef.current >= s.batch.length) await go(s, s.cursor);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setStarting(false);
    }
  };

  /** After a survey switch: that survey's loop (its round may be starting). */
  const switched = async (saved: Settings) => {
    onSettings?.(saved);
    try {
      const s = await call('loop.state', {});
      setLoop(s);
      await go(s, s.cursor);
    } catch (err) {
      setError(errorText(err));
    }
  };

  if (!loop) return <div className="screen-msg">{error ? <p className="error">{error}</p> : 'Loading…'}</div>;

  const total = loop.batch.length;
  const counts = batchCounts(loop.batch, loop.task);
  const labelled = counts.counted + counts.notCounted;
  const item = revisit ? revisit.item : loop.batch[pos];
  const classes = TASK_CLASS_NAMES[loop.task];

  return (
    <div className={`label-screen${pane && (!isElectron || paneFailed || !appPane) ? ' with-pane' : ''}`}>
      <div className="batchbar" data-testid="batchbar">
        <span className="progress-text" data-testid="progress">
          {labelled} / {total}
        </span>
        <progress max={Math.max(total, 1)} value={labelled} aria-label="batch progress" />
        <span className="badge survey-badge" data-testid="label-survey" title={`feature set ${loop.featureSet}`}>
          {SURVEY_LABELS[loop.survey]}
        </span>
        <span className="muted">
          round {loop.round} · {loop.strategy} · task {loop.task} ({classes[1]} vs {classes[0]}) ·{' '}
          {loop.nTrainCounted} training labels
        </span>
        {loop.pendingJob && !newBatch && <JobProgress job={loop.pendingJob} />}
        <button className="linkish" onClick={() => setHelp(true)} title="Keyboard help (?)">
          keys ?
        </button>
        {storePath && (
          <span className="muted small" data-testid="store-path">
            store <code>{storePath}</code>
          </span>
        )}
      </div>
      <TaskKeys task={loop.task} labelKeys={settings.labelKeys} />
      {counts.notCounted > 0 && (
        <p className="muted small" data-testid="not-counted">
          {counts.notCounted} label(s) of this batch are not counted by task {loop.task} (stored all the same); each
          brought in one more alert: {counts.total - counts.notCounted} → {counts.total}.
        </p>
      )}
      <p className={`feedback${feedback?.warn ? ' warn' : ''}`} role="status" aria-live="polite" data-testid="feedback">
        {feedback?.text ?? ''}
      </p>
      {newBatch && (
        <p className="note" data-testid="new-batch">
          Round {newBatch.round} is ready ({newBatch.batch.length} alerts).{' '}
          <button
            onClick={() => {
              setLoop(newBatch);
              setNewBatch(null);
              void go(newBatch, newBatch.cursor);
            }}
          >
            Show the new batch
          </button>
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {loop.warnings.map((w) => (
        <p className="warning" key={w}>{w}</p>
      ))}

      {revisit ? (
        <>
          <p className="revisit" data-testid="revisit">
            Back from an earlier batch (undone): label {revisit.item.objectId} again, or press → to return to this
            batch.
          </p>
          <AlertCardView
            prepared={revisit.prepared}
            item={revisit.item}
            position={-1}
            total={total}
            labelKeys={settings.labelKeys}
            positiveClass={classes[1]}
            onLabel={(l: Label) => act({ kind: 'label', label: l }, paintedRef.current)}
            onAction={(a) => act(a, paintedRef.current)}
          />
        </>
      ) : total === 0 ? (
        <div className="screen-msg" data-testid="no-batch">
          <SurveySwitchNote survey={loop.survey} onSwitched={(s) => void switched(s)}>
            {loop.pendingJob?.state === 'running' ? (
              <p>Preparing the {SURVEY_LABELS[loop.survey]} batch…</p>
            ) : (
              <>
                {loop.pendingJob?.state === 'failed' && <p className="error" data-testid="round-failed">The round failed: {loop.pendingJob.error}</p>}
                <p>No {SURVEY_LABELS[loop.survey]} batch proposed yet. Ingest alerts on the Data screen, then start a round.</p>
                <button className="primary" onClick={() => void startRound()} disabled={starting}>
                  Start round
                </button>
              </>
            )}
          </SurveySwitchNote>
        </div>
      ) : pos >= total ? (
        <div className="screen-msg" data-testid="batch-done">
          <h2>Batch done: {labelled} / {total} labelled</h2>
          {loop.pendingJob?.state === 'running' ? (
            <p>The next round is training in the background; its batch will appear here when ready. You can go back (←) and relabel meanwhile.</p>
          ) : loop.pendingJob?.state === 'failed' ? (
            <p className="error">The next round failed: {loop.pendingJob.error}</p>
          ) : (
            <p>Waiting for the next round…</p>
          )}
          {loop.pendingJob?.state !== 'running' && (
            <button onClick={() => void startRound()} disabled={starting}>Start the next round now</button>
          )}
        </div>
      ) : shown && item ? (
        <AlertCardView
          prepared={shown}
          item={item}
          position={pos}
          total={total}
          labelKeys={settings.labelKeys}
          positiveClass={classes[1]}
          onLabel={(l: Label) => act({ kind: 'label', label: l }, paintedRef.current)}
          onAction={(a) => act(a, paintedRef.current)}
        />
      ) : (
        <div className="screen-msg">Loading card…</div>
      )}

      {pane && (!isElectron || paneFailed || !appPane) && item && shown && (
        <LasairPlaceholder card={shown.card} offline={paneFailed && appPane} onClose={() => setPane(false)} />
      )}
      {help && <HelpOverlay labelKeys={settings.labelKeys} onClose={() => setHelp(false)} />}
    </div>
  );
}

/**
 * Lasair refuses to be framed; in a browser the pane is the card's pair of links (the desktop app shows the page).
 * A link the card does not have is absent, and the pane says why.
 */
function LasairPlaceholder({ card, offline, onClose }: { card: PreparedCard['card']; offline: boolean; onClose: () => void }) {
  const { links, objectId } = card;
  const noLasair = missingLinkText(card, 'lasair');
  const noFink = missingLinkText(card, 'fink');
  return (
    <aside className="lasair-pane" data-testid="lasair-pane">
      <header>
        <strong>Lasair</strong>
        <button className="linkish" onClick={onClose} aria-label="close pane">×</button>
      </header>
      {noLasair ? (
        <p data-testid="lasair-none">{noLasair}.</p>
      ) : offline ? (
        <p>Lasair could not be reached (offline?). The links below open it in your browser.</p>
      ) : (
        <p>
          Lasair does not allow its pages inside another page, so here the pane opens them in a new tab. The desktop
          app shows ZTF objects' pages here.
        </p>
      )}
      {links.lasair && <p><a href={links.lasair} target="_blank" rel="noopener noreferrer" data-testid="link-lasair">Lasair: {objectId} ↗</a></p>}
      {links.fink ? (
        <p><a href={links.fink} target="_blank" rel="noopener noreferrer" data-testid="link-fink">Fink portal: {objectId} ↗</a></p>
      ) : (
        <p className="muted">{noFink}.</p>
      )}
      <p className="muted">The card alone is enough to label.</p>
    </aside>
  );
}
