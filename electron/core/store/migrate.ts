/**
 * Numbered migrations, applied in order and recorded in `PRAGMA user_version`.
 *
 * Files are `NNN-what-it-does.sql` in ./migrations. Each one runs in its own transaction
 * together with the bump of user_version, so a crash mid-migration leaves the previous
 * version intact. A database newer than this code, or a hole in the numbering, refuses to
 * open: guessing there would risk the desk's history.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './db';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_NAME = /^(\d{3})-([a-z0-9-]+)\.sql$/;

/** Where the migration files live, both in the source tree and next to the built bundle. */
export const defaultMigrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function loadMigrations(dir: string = defaultMigrationsDir): Migration[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.sql'));
  } catch (error) {
    throw new MigrationError(`cannot read the migrations folder ${dir}: ${(error as Error).message}`);
  }
  const migrations = files.map((file) => {
    const match = FILE_NAME.exec(file);
    if (!match) throw new MigrationError(`migration file ${file} is not named NNN-name.sql`);
    return { version: Number(match[1]), name: match[2] ?? file, sql: readFileSync(`${dir}/${file}`, 'utf8') };
  });
  migrations.sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      const expected = index + 1;
      throw new MigrationError(
        migration.version === index
          ? `two migrations are numbered ${String(migration.version).padStart(3, '0')}`
          : `migration ${String(expected).padStart(3, '0')} is missing (found ${String(migration.version).padStart(3, '0')}-${migration.name} after ${index === 0 ? 'nothing' : String(index).padStart(3, '0')})`,
      );
    }
  });
  return migrations;
}

export async function schemaVersion(db: Database): Promise<number> {
  const row = await db.get<{ user_version: number }>('PRAGMA user_version');
  return row?.user_version ?? 0;
}

/**
 * Brings the database to `target` (default: the newest migration) and returns the version it
 * ends at. Never goes backwards.
 */
export async function migrate(db: Database, migrations: Migration[] = loadMigrations(), target?: number): Promise<number> {
  const newest = migrations.length;
  const goal = target ?? newest;
  if (goal > newest) throw new MigrationError(`no migration ${goal}: the newest is ${newest}`);
  const current = await schemaVersion(db);
  if (current > newest) {
    throw new MigrationError(
      `the database ${db.path} is at schema version ${current}, newer than this version of the desk understands (${newest}). ` +
        'It was written by a newer desk: run that version, or restore a backup made with this one.',
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > goal) continue;
    await db.transaction(async (tx) => {
      await tx.exec(migration.sql);
      await tx.exec(`PRAGMA user_version = ${migration.version}`);
    });
  }
  return Math.max(current, goal);
}
