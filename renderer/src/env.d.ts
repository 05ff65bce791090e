import type { DeskResult } from '../../electron/core/contract';

/** What electron/preload.ts exposes through contextBridge; absent when the console runs in a browser. */
export interface PreloadDeskBridge {
  call(name: string, input: unknown): Promise<DeskResult<unknown>>;
  onEvents(listener: (batch: unknown) => void): () => void;
}

declare global {
  interface Window {
    readonly desk?: PreloadDeskBridge;
  }
}
