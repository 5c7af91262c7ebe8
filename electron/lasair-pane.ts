/**
 * The Lasair side pane: a WebContentsView on the right of the app window (Lasair refuses to be framed, so it has to
 * be a top-level page). It has its own session partition, runs sandboxed with no preload and no Node, may only
 * navigate within Lasair and Fink, and sends everything else to the system browser.
 */
import { WebContentsView, session } from 'electron';
import type { BrowserWindow, WebContents } from 'electron';
import { ApiError } from '../core/api/define.js';
import { lasairPageOf } from '../core/urls.js';
import type { PaneEvent, PaneState } from './bridge.js';
import { OBJECT_ID_RE, paneDecision } from './policy.js';
import { openExternalSafe } from './window.js';

export const PANE_PARTITION = 'persist:lasair-pane';
export const DEFAULT_PANE_FRACTION = 0.45;
/** net::ERR_ABORTED: our own preventDefault or a newer navigation; not an outage. */
const ERR_ABORTED = -3;

export interface PaneOptions {
  fraction?: number;
  /** Delivers pane events to the renderer. */
  notify: (event: PaneEvent) => void;
}

export class LasairPane {
  private view: WebContentsView | null = null;
  private visible = false;
  private objectId: string | null = null;
  private url: string | null = null;
  private fraction: number;
  private readonly notify: (event: PaneEvent) => void;

  constructor(
    private readonly win: BrowserWindow,
    opts: PaneOptions,
  ) {
    this.fraction = clampFraction(opts.fraction ?? DEFAULT_PANE_FRACTION);
    this.notify = opts.notify;
    win.on('resize', () => this.applyBounds());
  }

  state(): PaneState {
    return { visible: this.visible, objectId: this.objectId, url: this.url, fraction: this.fraction };
  }

  /** Show the Lasair page of an object beside the card. */
  show(objectId: string): PaneState {
    if (!OBJECT_ID_RE.test(objectId)) throw new ApiError('invalid_input', `not an object id: ${objectId}`);
    // The id tells the survey: an LSST diaObjectId opens Lasair-LSST's page.
    const url = lasairPageOf(objectId);
    if (url === null) throw new ApiError('not_found', `Lasair has no page for ${objectId}`);
    const view = this.ensureView();
    this.visible = true;
    view.setVisible(true);
    this.applyBounds();
    if (this.objectId !== objectId || this.url === null) {
      this.objectId = objectId;
      this.load(url);
    }
    return this.state();
  }

  hide(): PaneState {
    this.visible = false;
    this.view?.setVisible(false);
    this.notify({ type: 'hidden' });
    return this.state();
  }

  /** Load a URL in the pane if allowed, else hand http(s) to the system browser; other schemes are refused. */
  navigate(url: string): PaneState {
    const decision = paneDecision(url);
    if (decision === 'refuse') throw new ApiError('refused', `the pane does not open ${url.slice(0, 80)}`);
    if (decision === 'external') {
      this.external(url);
      return this.state();
    }
    const view = this.ensureView();
    this.visible = true;
    view.setVisible(true);
    this.applyBounds();
    this.load(url);
    return this.state();
  }

  layout(fraction: number): PaneState {
    this.fraction = clampFraction(fraction);
    this.applyBounds();
    return this.state();
  }

  /** Close the pane's page (a WebContentsView's contents outlive its window unless closed). */
  destroy(): void {
    const view = this.view;
    if (!view) return;
    this.view = null;
    this.visible = false;
    if (!this.win.isDestroyed()) this.win.contentView.removeChildView(view);
    view.webContents.close();
  }

  private load(url: string): void {
    const view = this.ensureView();
    this.url = url;
    this.notify({ type: 'loading', url });
    // Failures are reported through did-fail-load; the promise rejection carries nothing more.
    view.webContents.loadURL(url).catch(() => {});
  }

  private external(url: string): void {
    void openExternalSafe(url);
    this.notify({ type: 'external', url });
  }

  private applyBounds(): void {
    if (!this.view) return;
    const { width, height } = this.win.getContentBounds();
    const paneWidth = Math.round(width * this.fraction);
    this.view.setBounds({ x: width - paneWidth, y: 0, width: paneWidth, height });
  }

  private ensureView(): WebContentsView {
    if (this.view) return this.view;
    hardenPaneSession();
    const view = new WebContentsView({
      webPreferences: {
        partition: PANE_PARTITION,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
      },
    });
    this.guard(view.webContents);
    this.win.contentView.addChildView(view);
    view.setVisible(false);
    this.view = view;
    return view;
  }

  private guard(contents: WebContents): void {
    contents.on('will-navigate', (event) => {
      const decision = paneDecision(event.url);
      if (decision === 'allow') return;
      event.preventDefault();
      if (decision === 'external') this.external(event.url);
    });
    contents.on('will-redirect', (event) => {
      if (paneDecision(event.url) !== 'allow') {
        event.preventDefault();
        if (paneDecision(event.url) === 'external') this.external(event.url);
      }
    });
    contents.setWindowOpenHandler(({ url }) => {
      const decision = paneDecision(url);
      if (decision === 'allow') this.load(url);
      else if (decision === 'external') this.external(url);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
      if (!isMainFrame || errorCode === ERR_ABORTED) return;
      this.notify({ type: 'failed', url: validatedURL, errorCode, errorDescription });
    });
    contents.on('did-finish-load', () => {
      this.url = contents.getURL() || this.url;
      this.notify({ type: 'loaded', url: this.url ?? '' });
    });
  }
}

function clampFraction(f: number): number {
  return Number.isFinite(f) ? Math.min(0.8, Math.max(0.2, f)) : DEFAULT_PANE_FRACTION;
}

let paneSessionHardened = false;

/** Lasair and Fink pages get no permissions (camera, notifications, geolocation, …). */
function hardenPaneSession(): void {
  if (paneSessionHardened) return;
  const ses = session.fromPartition(PANE_PARTITION);
  ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  paneSessionHardened = true;
}

/** For tests: forget that the pane session was configured. */
export function resetPaneSessionForTests(): void {
  paneSessionHardened = false;
}
