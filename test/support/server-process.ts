/**
 * Starts server mode the way a user does (the built bundle, a real child process) on a free
 * port with its own data directory, and waits for its one "Desk ready" line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const serverBundle = join(repoRoot, 'dist-electron', 'server.js');

export interface ServerProcess {
  /** The address the desk printed, with the token in the fragment. */
  url: string;
  origin: string;
  port: number;
  token: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  dataDir?: string;
  /** Runs before the server starts, with the data directory (to seed the SQLite file). */
  seed?: (dataDir: string) => Promise<void>;
  extraArgs?: string[];
  timeoutMs?: number;
}

const READY = /^Desk ready at (http:\/\/127\.0\.0\.1:(\d+))\/#token=([A-Za-z0-9_-]+)$/;

export async function startServerProcess(options: StartOptions = {}): Promise<ServerProcess> {
  if (!existsSync(serverBundle)) throw new Error(`${serverBundle} is missing: run \`npm run build\` first`);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'desk-server-'));
  if (options.seed) await options.seed(dataDir);
  const child = spawn(process.execPath, [serverBundle, '--port', '0', '--data', dataDir, ...(options.extraArgs ?? [])], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const ready = await new Promise<RegExpExecArray>((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server mode did not print its ready line in time; stderr:\n${stderr}`));
    }, options.timeoutMs ?? 20_000);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const match = READY.exec(line);
      if (match) resolveReady(match);
      else reject(new Error(`unexpected first stdout line: ${JSON.stringify(line)}; stderr:\n${stderr}`));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server mode exited with ${code} before it was ready; stderr:\n${stderr}`));
    });
  });

  const [, origin = '', port = '0', token = ''] = ready;
  return {
    url: ready[0].slice('Desk ready at '.length),
    origin,
    port: Number(port),
    token,
    dataDir,
    child,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
