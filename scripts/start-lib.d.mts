// Types for start-lib.mjs, so the TypeScript tests can import it.
import type { ChildProcess, spawn as nodeSpawn } from 'node:child_process';
import type { existsSync, readdirSync, statSync } from 'node:fs';

export declare const BUILD_OUTPUTS: readonly string[];
export declare const BUILD_INPUTS: readonly string[];

export declare function buildStatus(root: string, fs?: { statSync: typeof statSync; readdirSync: typeof readdirSync }): { stale: boolean; reason: string };

export interface BinaryFs {
  existsSync: typeof existsSync;
  readFileSync: (path: string, encoding: 'utf8') => string;
}
export declare function resolveElectronBinary(options: {
  electronDir: string;
  env?: NodeJS.ProcessEnv;
  fs?: BinaryFs;
}): { ok: true; path: string } | { ok: false; reason: string };

export declare function displayProblem(options?: { platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv }): string | null;

export declare function chooseLaunch(options: {
  electronDir: string;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  fs?: BinaryFs;
}): { mode: 'electron'; binary: string } | { mode: 'server'; reason: string };

export declare function fallbackLine(reason: string): string;
export declare function lastErrorLine(text: string): string;

export declare function launchElectron(options: {
  binary: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  graceMs?: number;
  spawn?: typeof nodeSpawn;
  stderr?: { write(chunk: string | Uint8Array): unknown };
  onSpawn?: (child: ChildProcess) => void;
}): Promise<{ outcome: 'failed'; reason: string } | { outcome: 'running'; child: ChildProcess; exited: Promise<number> }>;
