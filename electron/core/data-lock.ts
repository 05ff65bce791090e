/**
 * One desk per data folder. Two desks on the same history would both poll the same accounts
 * and both answer the same customers, so a second one refuses to start and says why.
 * The lock file holds the owner's pid; a lock left by a process that is gone (a crash) is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'desk.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Locks this process holds: a lock file with our own pid that is not here was left by an earlier run. */
const held = new Set<string>();

export interface DataLock {
  release(): void;
}

export function lockDataDir(dataDir: string): DataLock {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(path);
      return {
        release: () => {
          held.delete(path);
          rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8').trim());
      const running = owner === process.pid ? held.has(path) : Number.isInteger(owner) && owner > 0 && alive(owner);
      if (running) {
        throw new Error(`another desk (process ${owner}) is already running on ${dataDir}; stop it first, or give this one another data folder`, { cause: error });
      }
      rmSync(path, { force: true }); // left behind by a desk that crashed
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
