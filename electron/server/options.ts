/** Server mode's command line, and where the desk keeps its data when none is given. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const PRODUCT_NAME = 'Social Care Desk';

export interface ServerOptions {
  port: number;
  dataDir: string;
  /** Simulated customers on the in-process sandbox: a gentle steady stream, or none. */
  sandboxTraffic: 'steady' | 'off';
  /** Use the external sandbox this file describes instead of starting one. */
  sandboxFile: string | null;
}

/**
 * The same folder Electron's `app.getPath('userData')` names, so the desk finds the same
 * history whichever way it was started.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME);
}

export const USAGE = `Usage: npm run serve -- [--port <n>] [--data <dir>]
  --port <n>    port on 127.0.0.1 (default 4780; 0 picks a free one)
  --data <dir>  data directory (default: ${defaultDataDir()})
  --sandbox-traffic steady|off   simulated customers on the sandbox network (default steady)
  --sandbox-file <file>          use the sandbox started by \`npm run sandbox\` (its JSON line saved to <file>)`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseServerArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServerOptions {
  const options: ServerOptions = { port: 4780, dataDir: defaultDataDir(env), sandboxTraffic: 'steady', sandboxFile: null };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--port') {
      if (value === undefined || !/^\d{1,5}$/.test(value) || Number(value) > 65535) {
        throw new UsageError(`--port needs a number from 0 to 65535, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
      }
      options.port = Number(value);
      i += 1;
    } else if (flag === '--data') {
      if (value === undefined || value.trim() === '' || value.startsWith('--')) throw new UsageError('--data needs a directory');
      options.dataDir = resolve(value);
      i += 1;
    } else if (flag === '--sandbox-traffic') {
      if (value !== 'steady' && value !== 'off') throw new UsageError(`--sandbox-traffic is steady or off, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
      options.sandboxTraffic = value;
      i += 1;
    } else if (flag === '--sandbox-file') {
      if (value === undefined || value.trim() === '' || value.startsWith('--')) throw new UsageError('--sandbox-file needs a file');
      options.sandboxFile = resolve(value);
      i += 1;
    } else {
      throw new UsageError(`unknown option ${JSON.stringify(flag)}`);
    }
  }
  return options;
}
