/**
 * The one console window and its hardened web preferences.
 *
 * The preferences are written out literally at the `new BrowserWindow` call, even where they equal
 * Electron's defaults: a reader (and Electronegativity, which reads only literal options) sees
 * every choice in one place, and a future change of default cannot loosen them.
 */
import { BrowserWindow } from 'electron';

export interface ConsoleWindowInput {
  preloadPath: string;
  title: string;
  /** Developer tools are for development builds only. */
  devTools: boolean;
  icon?: string;
}

export function createConsoleWindow(input: ConsoleWindowInput): BrowserWindow {
  return new BrowserWindow({
    title: input.title,
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    // Shown on ready-to-show, so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#ffffff',
    ...(input.icon ? { icon: input.icon } : {}),
    webPreferences: {
      preload: input.preloadPath,
      // The page and the preload run in separate JavaScript worlds; the page sees only what the
      // preload hands to contextBridge.
      contextIsolation: true,
      // The renderer process runs in the OS sandbox, and the preload gets no Node.js either.
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // A middle click would otherwise be a second way to ask for a new window.
      disableBlinkFeatures: 'Auxclick',
      // Dropping a file or link on the window must not navigate it away from the console.
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
      devTools: input.devTools,
    },
  });
}
