/**
 * The Electron transport: the same desk core behind one `ipcMain.handle` channel, and its event
 * batches pushed to the console window.
 *
 * The shell only relays. The core validates every command against the contract and answers with
 * a DeskResult; the shell's own job is to make sure the caller is our console page in our window,
 * and nothing else the app might ever host (a frame, a second window, a page that navigated away).
 */
import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { transport, type DeskResult, type EventBatch } from '../core/contract';
import { isRendererUrl } from './renderer-origin';
import type { ShellLog } from './hardening';

/** The part of the desk the transport needs; the real Desk from core/desk.ts fits it. */
export interface DeskPort {
  call(name: string, input: unknown, context: { actor: string }): Promise<DeskResult<unknown>>;
  subscribe(listener: (batch: EventBatch) => void): () => void;
}

export type FrameRef = Pick<WebFrameMain, 'url' | 'processId' | 'routingId' | 'parent'>;

export interface ConsoleContents {
  readonly mainFrame: FrameRef;
  send(channel: string, ...args: unknown[]): void;
  getURL(): string;
  isDestroyed(): boolean;
}

/** The console window as the transport sees it; a BrowserWindow fits. */
export interface ConsoleWindow {
  readonly webContents: ConsoleContents;
  isDestroyed(): boolean;
}

const FORBIDDEN: DeskResult<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'this page may not call the desk' },
};

/**
 * True only for the top frame of our console window showing our console origin.
 * `senderFrame` is null once the frame navigated or was destroyed: refused.
 */
export function isTrustedSender(sender: unknown, frame: FrameRef | null, window: ConsoleWindow | null): boolean {
  if (window === null || window.isDestroyed()) return false;
  const contents = window.webContents;
  if (contents.isDestroyed() || sender !== contents) return false;
  if (frame === null || frame.parent !== null) return false;
  const main = contents.mainFrame;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isRendererUrl(frame.url);
}

export interface DeskIpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  desk: DeskPort;
  getWindow: () => ConsoleWindow | null;
  /** Who the audit log names for calls from this desktop session. */
  actor: string;
  log: ShellLog;
}

/** Answers a command sent over IPC; exported for tests, which call it with a fake event. */
export async function answerCall(
  options: Omit<DeskIpcOptions, 'ipcMain'>,
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  name: unknown,
  input: unknown,
): Promise<DeskResult<unknown>> {
  if (!isTrustedSender(event.sender, event.senderFrame, options.getWindow())) {
    options.log('shell.ipc-refused', { url: (event.senderFrame?.url ?? '(no frame)').slice(0, 200) });
    return FORBIDDEN;
  }
  if (typeof name !== 'string' || name.length === 0 || name.length > 100) {
    return { ok: false, error: { code: 'bad_input', message: 'the command name must be a short string' } };
  }
  try {
    return await options.desk.call(name, input, { actor: options.actor });
  } catch (error) {
    // desk.call promises never to throw; if it does anyway, the page still gets a DeskResult
    // and the details stay in the log.
    options.log('shell.ipc-call-threw', { command: name, error });
    return { ok: false, error: { code: 'internal', message: 'the desk failed to answer; see the log' } };
  }
}

/** Registers the command channel; returns the function that removes it. */
export function registerDeskIpc(options: DeskIpcOptions): () => void {
  const { ipcMain, ...rest } = options;
  ipcMain.handle(transport.ipcCallChannel, (event, name: unknown, input: unknown) => answerCall(rest, event, name, input));
  return () => ipcMain.removeHandler(transport.ipcCallChannel);
}

/**
 * Forwards the core's (already coalesced) event batches to the console window only, and only
 * while it shows our console origin. Returns the unsubscribe function.
 */
export function relayDeskEvents(desk: Pick<DeskPort, 'subscribe'>, getWindow: () => ConsoleWindow | null): () => void {
  return desk.subscribe((batch) => {
    const window = getWindow();
    if (window === null || window.isDestroyed()) return;
    const contents = window.webContents;
    if (contents.isDestroyed() || !isRendererUrl(contents.getURL())) return;
    contents.send(transport.ipcEventsChannel, batch);
  });
}
