/**
 * The store: the desk's SQLite file and the only place that speaks SQL. Opening it applies
 * any pending migrations; a database from a newer desk, or a broken migration set, refuses.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from './db';
import { loadMigrations, migrate } from './migrate';

export const DATABASE_FILE = 'desk.sqlite3';

export interface Store {
  db: Database;
  schemaVersion: number;
  close(): Promise<void>;
}

export async function openStore(dataDir: string, options: { migrationsDir?: string } = {}): Promise<Store> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const migrations = loadMigrations(options.migrationsDir);
  const file = join(dataDir, DATABASE_FILE);
  const db = await Database.open(file);
  try {
    // Contact history is personal data: only the desk's user may read it (WAL files inherit this).
    if (process.platform !== 'win32') chmodSync(file, 0o600);
    const schemaVersion = await migrate(db, migrations);
    return { db, schemaVersion, close: () => db.close() };
  } catch (error) {
    await db.close();
    throw error;
  }
}

export { Database } from './db';
export type { Sql, SqlValue } from './db';
