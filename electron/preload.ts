/**
 * The preload: hands the page one object, `window.desk`, with exactly two functions, and nothing
 * else from Electron. It runs sandboxed (no Node.js; only `electron`'s renderer modules can be
 * required), so the build bundles it with the contract into one CommonJS file.
 *
 * The page never gets `ipcRenderer` or an IPC event object: either would let it send on any
 * channel. Command names are checked against the contract here, before anything crosses, and the
 * main process checks everything again (who sent it, and the input) because a compromised page
 * could skip this file.
 */
import { contextBridge, ipcRenderer, type IpcRenderer } from 'electron';
import { commandNames, isCommandName, transport, type DeskResult, type EventBatch } from './core/contract';

/** What the page sees as `window.desk`. The renderer's client wraps it in the typed API. */
export interface DeskBridge {
  call(name: string, input?: unknown): Promise<DeskResult<unknown>>;
  /** Returns the function that stops the listener. */
  onEvents(listener: (batch: EventBatch) => void): () => void;
}

export function createDeskBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): DeskBridge {
  return {
    async call(name, input) {
      if (typeof name !== 'string' || !isCommandName(name)) {
        const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : typeof name;
        return {
          ok: false,
          error: { code: 'unknown_command', message: `there is no command called ${shown}; known: ${commandNames.join(', ')}` },
        };
      }
      return (await ipc.invoke(transport.ipcCallChannel, name, input ?? {})) as DeskResult<unknown>;
    },
    onEvents(listener) {
      if (typeof listener !== 'function') throw new TypeError('desk.onEvents needs a function');
      // The page's listener gets the batch only, never the IpcRendererEvent (whose `sender` is
      // ipcRenderer itself).
      const relay = (_event: unknown, batch: EventBatch): void => listener(batch);
      ipc.on(transport.ipcEventsChannel, relay);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(transport.ipcEventsChannel, relay);
      };
    },
  };
}

contextBridge.exposeInMainWorld('desk', createDeskBridge(ipcRenderer));
