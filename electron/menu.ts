/**
 * The application menu. Items that belong to the UI (open files, export, the pane, the keys overlay) are forwarded
 * to the renderer as commands, so menu, keys and buttons share one code path there. No single-letter accelerators:
 * those would fire while typing in a text field.
 */
import { Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from './bridge.js';

export interface MenuActions {
  send(command: MenuCommand): void;
  reload(): void;
  toggleDevTools(): void;
  quit(): void;
}

export function menuTemplate(opts: { dev: boolean; isMac: boolean; actions: MenuActions }): MenuItemConstructorOptions[] {
  const { actions } = opts;
  const view: MenuItemConstructorOptions[] = [
    { label: 'Toggle Lasair pane', accelerator: 'CmdOrCtrl+L', click: () => actions.send('togglePane') },
    { type: 'separator' },
    { label: 'Reload', accelerator: 'CmdOrCtrl+R', click: () => actions.reload() },
  ];
  if (opts.dev) {
    view.push({ label: 'Toggle developer tools', accelerator: 'CmdOrCtrl+Shift+I', click: () => actions.toggleDevTools() });
  }
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Open files…', accelerator: 'CmdOrCtrl+O', click: () => actions.send('openFiles') },
        { label: 'Open folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.send('openFolder') },
        { type: 'separator' },
        { label: 'Export labels…', accelerator: 'CmdOrCtrl+E', click: () => actions.send('exportLabels') },
        { type: 'separator' },
        { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
      ],
    },
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    { label: 'View', submenu: view },
    { label: 'Help', submenu: [{ label: 'Keys', accelerator: 'F1', click: () => actions.send('showKeys') }] },
  ];
  // macOS puts the app name first; Quit lives there too.
  if (opts.isMac) template.unshift({ role: 'appMenu' });
  return template;
}

export function installMenu(opts: { dev: boolean; isMac: boolean; actions: MenuActions }): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(opts)));
}
