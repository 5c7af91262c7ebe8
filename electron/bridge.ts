/**
 * What the preload exposes as `window.vra` (types only: the renderer imports this with `import type`).
 * Everything crosses the bridge as plain JSON; errors come back as values, not exceptions, because contextBridge
 * drops custom properties (the error code) of thrown errors.
 */
import type { MethodInput, MethodName, MethodResult } from '../core/api/contract.js';

export interface IpcError {
  code: string;
  message: string;
}

/** Result envelope of every `vra:*` invoke: main never throws across IPC. */
export type IpcResult<T> = { ok: true; result: T } | { ok: false; error: IpcError };

/** The IPC channels (main registers them, the preload invokes them; the preload must inline the literals). */
export type IpcChannel =
  | 'vra:call'
  | 'vra:openFiles'
  | 'vra:saveFile'
  | 'vra:openExternal'
  | 'vra:pane:show'
  | 'vra:pane:hide'
  | 'vra:pane:navigate'
  | 'vra:pane:layout';

/** Main → renderer events. */
export type IpcEvent = 'vra:pane:event' | 'vra:menu';

/** The file dialogs the renderer may ask the main process for. */
export const OPEN_DIALOG_KINDS = ['files', 'folder', 'labels'] as const;
export type OpenDialogKind = (typeof OPEN_DIALOG_KINDS)[number];

export interface OpenFilesRequest {
  /** 'files' picks parquet/avro files, 'folder' one or more folders, 'labels' one labels CSV (the seed's labeled.csv). */
  kind: OpenDialogKind;
}

export interface SaveFileRequest {
  /** Suggested file name, e.g. "labels.csv". */
  defaultName: string;
  /** Written to the chosen path: UTF-8 text, or base64 of the bytes when encoding is 'base64'. */
  content: string;
  encoding?: 'utf8' | 'base64';
}

export interface SaveFileResult {
  /** null when the user cancelled. */
  path: string | null;
  bytes: number;
}

export interface PaneState {
  visible: boolean;
  objectId: string | null;
  url: string | null;
  /** Fraction of the window width the pane takes (right side). */
  fraction: number;
}

/** What the pane reports to the renderer; on 'failed' the renderer shows its offline placeholder with the link. */
export type PaneEvent =
  | { type: 'loading'; url: string }
  | { type: 'loaded'; url: string }
  | { type: 'failed'; url: string; errorCode: number; errorDescription: string }
  | { type: 'hidden' }
  | { type: 'external'; url: string };

/** A DOM File (kept structural: this file has no DOM types so the main process can compile it). */
export type DroppedFile = object;

/** Menu items the renderer acts on (the same actions as its keys and buttons). */
export type MenuCommand = 'openFiles' | 'openFolder' | 'exportLabels' | 'togglePane' | 'showKeys';

/** The typed contract over IPC: resolves to an envelope; the renderer's client turns `ok:false` into an ApiError. */
export type BridgeCall = <K extends MethodName>(method: K, input: MethodInput<K>) => Promise<IpcResult<MethodResult<K>>>;

export interface VraBridge {
  /** Discriminates the transport in the renderer. */
  readonly transport: 'ipc';
  call: BridgeCall;
  openFiles(req: OpenFilesRequest): Promise<IpcResult<string[]>>;
  saveFile(req: SaveFileRequest): Promise<IpcResult<SaveFileResult>>;
  /** Opens an http(s) URL in the system browser; anything else is refused. */
  openExternal(url: string): Promise<IpcResult<boolean>>;
  pane: {
    show(objectId: string): Promise<IpcResult<PaneState>>;
    hide(): Promise<IpcResult<PaneState>>;
    /** Loads an allowed (Lasair / Fink) https URL in the pane; other http(s) URLs go to the system browser. */
    navigate(url: string): Promise<IpcResult<PaneState>>;
    /** Width fraction of the pane (0.2 … 0.8). */
    layout(fraction: number): Promise<IpcResult<PaneState>>;
    /** Subscribe to pane events; returns the unsubscribe function. */
    onEvent(listener: (event: PaneEvent) => void): () => void;
  };
  /**
   * Filesystem path of a File from a drag-and-drop (Electron removed File.path); '' for files not on disk.
   * Lets a drop ingest in place (data.ingest) instead of uploading bytes (data.ingestUpload, web mode).
   */
  pathForFile(file: DroppedFile): string;
  /** Subscribe to application-menu commands; returns the unsubscribe function. */
  onMenu(listener: (command: MenuCommand) => void): () => void;
}
