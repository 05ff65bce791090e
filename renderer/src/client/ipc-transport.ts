/**
 * Electron transport: the preload's `window.desk` bridge over IPC. The main process is always
 * there while the window is, so the connection is live from the start.
 */
import type { CommandName } from '../../../electron/core/contract';
import type { PreloadDeskBridge } from '../env';
import { DeskCallError, type ConnectionState, type DeskTransport } from './desk-client';

export function createIpcTransport(bridge: PreloadDeskBridge): DeskTransport {
  return {
    kind: 'ipc',
    async call(name: CommandName, input: unknown): Promise<unknown> {
      try {
        return await bridge.call(name, input);
      } catch (error) {
        throw new DeskCallError(
          'unavailable',
          `The desk did not answer (${error instanceof Error ? error.message : String(error)}).`,
          name,
        );
      }
    },
    onEvents: (listener) => bridge.onEvents(listener),
    onConnection: (_listener: (state: ConnectionState) => void) => () => undefined,
    connection: () => 'live',
    close: () => undefined,
  };
}
