import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock.js'));

import * as E from './electron-mock.js';
import { installMenu, menuTemplate, type MenuActions } from '../../electron/menu.js';
import type { MenuItemConstructorOptions } from 'electron';

function actions(): MenuActions & { sent: string[] } {
  const sent: string[] = [];
  return { sent, send: (c) => sent.push(c), reload: vi.fn(), toggleDevTools: vi.fn(), quit: vi.fn() };
}

function items(template: MenuItemConstructorOptions[], top: string): MenuItemConstructorOptions[] {
  const menu = template.find((m) => m.label === top);
  return (menu?.submenu as MenuItemConstructorOptions[]) ?? [];
}

const click = (item: MenuItemConstructorOptions | undefined) =>
  (item!.click as unknown as () => void)();

beforeEach(() => E.resetElectronMock());

describe('application menu', () => {
  it('has File / View / Help with the app commands forwarded to the renderer', () => {
    const a = actions();
    const t = menuTemplate({ dev: false, isMac: false, actions: a });
    expect(t.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Help']);
    const file = items(t, 'File').filter((i) => i.label);
    expect(file.map((i) => i.label)).toEqual(['Open files…', 'Open folder…', 'Export labels…', 'Quit']);
    for (const i of file) click(i);
    click(items(t, 'View').find((i) => i.label === 'Toggle Lasair pane'));
    click(items(t, 'Help').find((i) => i.label === 'Keys'));
    expect(a.sent).toEqual(['openFiles', 'openFolder', 'exportLabels', 'togglePane', 'showKeys']);
    expect(a.quit).toHaveBeenCalledTimes(1);
  });

  it('offers developer tools only in dev', () => {
    const prod = items(menuTemplate({ dev: false, isMac: false, actions: actions() }), 'View');
    expect(prod.some((i) => /developer/i.test(String(i.label)))).toBe(false);
    const a = actions();
    const dev = items(menuTemplate({ dev: true, isMac: false, actions: a }), 'View');
    click(dev.find((i) => /developer/i.test(String(i.label))));
    expect(a.toggleDevTools).toHaveBeenCalledTimes(1);
  });

  it('never binds a bare letter (the label keys) as an accelerator', () => {
    const t = menuTemplate({ dev: true, isMac: true, actions: actions() });
    const accels = t.flatMap((m) => ((m.submenu as MenuItemConstructorOptions[]) ?? []).map((i) => i.accelerator)).filter(Boolean);
    expect(accels.length).toBeGreaterThan(4);
    for (const a of accels) expect(String(a)).toMatch(/^(CmdOrCtrl\+|F\d+$)/);
    expect(t[0].role).toBe('appMenu');
  });

  it('installs the built menu', () => {
    installMenu({ dev: false, isMac: false, actions: actions() });
    expect(E.Menu.setApplicationMenu).toHaveBeenCalledWith(E.Menu.buildFromTemplate.mock.results[0].value);
  });
});
