import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMigrationsDir } from '../../electron/core/store/migrate';

/** A copy of the real migrations folder, with files removed or added, for refusal tests. */
export function migrationsCopy(change: (dir: string, files: string[]) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'desk-migrations-'));
  cpSync(defaultMigrationsDir, dir, { recursive: true });
  change(dir, readdirSync(dir).sort());
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
