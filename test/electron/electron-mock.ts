/**
 * A small stand-in for the `electron` module (the binary cannot run here). Tests do
 * `vi.mock('electron', () => import('./electron-mock.js'))` and inspect what the shell asked of it.
 */
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, fn: Listener): this {
    const list = this.listeners.get(event) ?? [];
    list.push(fn);
    this.listeners.set(event, list);
    return this;
  }
  once(event: string, fn: Listener): this {
    const wrapped: Listener = (...args) => {
      this.off(event, wrapped);
      return fn(...args);
    };
    return this.on(event, wrapped);
  }
  off(event: string, fn: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((f) => f !== fn),
    );
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const fn of [...(this.listeners.get(event) ?? [])]) fn(...args);
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** An Electron-style event: `url` (navigation params) and preventDefault. */
export function fakeEvent(url = ''): { url: string; defaultPrevented: boolean; preventDefault(): void } {
  return {
    url,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

let nextId = 1;

export class FakeWebContents extends FakeEmitter {
  readonly id = nextId++;
  url = '';
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  loadURL = vi.fn(async (url: string) => {
    this.url = url;
  });
  send = vi.fn();
  reload = vi.fn();
  toggleDevTools = vi.fn();
  close = vi.fn();
  getURL(): string {
    return this.url;
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h;
  }
}

export class FakeView {
  children: unknown[] = [];
  addChildView = vi.fn((v: unknown) => {
    this.children.push(v);
  });
  removeChildView = vi.fn((v: unknown) => {
    this.children = this.children.filter((c) => c !== v);
  });
}

export class BrowserWindow extends FakeEmitter {
  static instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly contentView = new FakeView();
  size = { width: 1000, height: 800 };
  destroyed = false;
  minimized = false;
  restore = vi.fn();
  show = vi.fn();
  focus = vi.fn();
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  loadFile(path: string): Promise<void> {
    return this.webContents.loadURL(`file://${path}`);
  }
  getContentBounds() {
    return { x: 0, y: 0, ...this.size };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
}

export class WebContentsView {
  static instances: WebContentsView[] = [];
  readonly webContents = new FakeWebContents();
  bounds: { x: number; y: number; width: number; height: number } | null = null;
  visible = true;
  constructor(readonly options: { webPreferences?: Record<string, unknown> }) {
    WebContentsView.instances.push(this);
  }
  setBounds(b: { x: number; y: number; width: number; height: number }): void {
    this.bounds = b;
  }
  setVisible(v: boolean): void {
    this.visible = v;
  }
}

type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  cb: (r: { responseHeaders?: Record<string, string[]>; cancel?: boolean }) => void,
) => void;

export function makeSession(name: string) {
  const s = {
    name,
    headersListener: null as HeadersListener | null,
    permissionRequest: null as
      | ((wc: unknown, permission: string, cb: (granted: boolean) => void, details?: unknown) => void)
      | null,
    permissionCheck: null as ((wc: unknown, permission: string, origin: string) => boolean) | null,
    webRequest: {
      onHeadersReceived: vi.fn((fn: HeadersListener) => {
        s.headersListener = fn;
      }),
    },
    setPermissionRequestHandler: vi.fn((fn: typeof s.permissionRequest) => {
      s.permissionRequest = fn;
    }),
    setPermissionCheckHandler: vi.fn((fn: typeof s.permissionCheck) => {
      s.permissionCheck = fn;
    }),
  };
  return s;
}

const partitions = new Map<string, ReturnType<typeof makeSession>>();
export const session = {
  defaultSession: makeSession('default'),
  fromPartition: vi.fn((p: string) => {
    if (!partitions.has(p)) partitions.set(p, makeSession(p));
    return partitions.get(p)!;
  }),
};

export const shell = { openExternal: vi.fn(async (_url: string) => {}) };

export const ipcMain = {
  handlers: new Map<string, (...args: unknown[]) => unknown>(),
  handle: vi.fn((channel: string, fn: (...args: unknown[]) => unknown) => {
    if (ipcMain.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    ipcMain.handlers.set(channel, fn);
  }),
  removeHandler: vi.fn((channel: string) => {
    ipcMain.handlers.delete(channel);
  }),
};

export const dialog = {
  showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
  showSaveDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePath: '' })),
  showErrorBox: vi.fn(),
};

class FakeApp extends FakeEmitter {
  isPackaged = false;
  paths: Record<string, string> = {};
  requestSingleInstanceLock = vi.fn(() => true);
  quit = vi.fn();
  exit = vi.fn();
  enableSandbox = vi.fn();
  isReady = vi.fn(() => false);
  whenReady = vi.fn(async () => {});
  getPath = vi.fn((name: string) => {
    const p = this.paths[name];
    if (!p) throw new Error(`no fake path for ${name}`);
    return p;
  });
}
export const app = new FakeApp();

export const Menu = {
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
  setApplicationMenu: vi.fn(),
};

/** Forget every instance and recorded call between tests. */
export function resetElectronMock(): void {
  BrowserWindow.instances = [];
  WebContentsView.instances = [];
  partitions.clear();
  session.defaultSession = makeSession('default');
  ipcMain.handlers.clear();
  app.listeners.clear();
  app.isPackaged = false;
  app.paths = {};
  app.requestSingleInstanceLock.mockReset().mockReturnValue(true);
  vi.clearAllMocks();
}

export default { app, BrowserWindow, WebContentsView, session, shell, ipcMain, dialog, Menu };
