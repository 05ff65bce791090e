/**
 * The native menu. Mostly roles, so each platform gets its own labels, shortcuts and behaviour;
 * developer tools appear only in development builds.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  showLogsFolder(): void;
  showDataFolder(): void;
}

export interface MenuOptions {
  appName: string;
  platform: NodeJS.Platform;
  /** False in packaged builds: no reload-from-disk, no developer tools. */
  development: boolean;
  actions: MenuActions;
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const separator: MenuItemConstructorOptions = { type: 'separator' };

  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: options.appName,
          submenu: [
            { role: 'about' },
            separator,
            { role: 'services' },
            separator,
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            separator,
            { role: 'quit' },
          ],
        },
      ]
    : [];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Show Data Folder', click: () => options.actions.showDataFolder() },
      { label: 'Show Logs Folder', click: () => options.actions.showLogsFolder() },
      separator,
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'pasteAndMatchStyle' },
      { role: 'delete' },
      separator,
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'reload' },
      ...(options.development ? ([{ role: 'forceReload' }, { role: 'toggleDevTools' }] as const) : []),
      separator,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };

  const windowMenu: MenuItemConstructorOptions = {
    label: '&Window',
    role: 'window',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };

  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [
      // On macOS "About" lives in the app menu.
      ...(mac ? [] : ([{ role: 'about' }] as const)),
      { label: 'Show Logs Folder', click: () => options.actions.showLogsFolder() },
    ],
  };

  return [...appMenu, file, edit, view, windowMenu, help];
}
