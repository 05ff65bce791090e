/**
 * Migrations: each numbered file is tested from the version before it, with data in place.
 * A new migration adds its own `describe` below with rows written at the previous version.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '../../electron/core/store/db';
import { loadMigrations, migrate, schemaVersion } from '../../electron/core/store/migrate';
import { openStore } from '../../electron/core/store';
import { migrationsCopy, removeDir } from '../support/migrations';
import { tempDir } from '../support/temp';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

describe('the migration set', () => {
  it('is numbered from 001 without holes', () => {
    const migrations = loadMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('brings a new database to the newest version, and a second open changes nothing', async () => {
    const first = await openStore(dir.path);
    expect(first.schemaVersion).toBe(loadMigrations().length);
    await first.close();
    const second = await openStore(dir.path);
    expect(second.schemaVersion).toBe(loadMigrations().length);
    await second.close();
  });

  it('refuses a database written by a newer desk, and leaves it untouched', async () => {
    const db = await Database.open(join(dir.path, 'desk.sqlite3'));
    await db.exec('PRAGMA user_version = 999; CREATE TABLE from_the_future (x)');
    await db.close();
    await expect(openStore(dir.path)).rejects.toThrow(/schema version 999, newer than this version of the desk understands/);
    const check = await Database.open(join(dir.path, 'desk.sqlite3'));
    expect(await schemaVersion(check)).toBe(999);
    expect(await check.get("SELECT count(*) AS c FROM sqlite_master WHERE name = 'contacts'")).toEqual({ c: 0 });
    await check.close();
  });

  it('refuses a migration set with a hole in its numbers', async () => {
    const holed = migrationsCopy((d) => writeFileSync(join(d, '003-skipped-two.sql'), 'SELECT 1;'));
    try {
      await expect(openStore(dir.path, { migrationsDir: holed })).rejects.toThrow(/migration 002 is missing/);
    } finally {
      removeDir(holed);
    }
  });

  it('refuses a badly named migration file and a duplicate number', async () => {
    const badName = migrationsCopy((d) => writeFileSync(join(d, '2-oops.sql'), 'SELECT 1;'));
    const duplicate = migrationsCopy((d, files) => writeFileSync(join(d, files[0]!.replace(/-.*/, '-again.sql')), 'SELECT 1;'));
    try {
      expect(() => loadMigrations(badName)).toThrow(/2-oops.sql is not named NNN-name.sql/);
      expect(() => loadMigrations(duplicate)).toThrow(/two migrations are numbered 001/);
    } finally {
      removeDir(badName);
      removeDir(duplicate);
    }
  });

  it('rolls a failing migration back whole and keeps the previous version', async () => {
    const broken = migrationsCopy((d, files) =>
      writeFileSync(join(d, `${String(files.length + 1).padStart(3, '0')}-broken.sql`), 'CREATE TABLE half_done (x); SELECT * FROM no_such_table;'),
    );
    try {
      await expect(openStore(dir.path, { migrationsDir: broken })).rejects.toThrow(/no such table/);
      const db = await Database.open(join(dir.path, 'desk.sqlite3'));
      expect(await schemaVersion(db)).toBe(loadMigrations().length);
      expect(await db.get("SELECT count(*) AS c FROM sqlite_master WHERE name = 'half_done'")).toEqual({ c: 0 });
      await db.close();
    } finally {
      removeDir(broken);
    }
  });
});

describe('001-initial-schema (from an empty file)', () => {
  it('creates the tables with the constraints the desk relies on', async () => {
    const db = await Database.open(join(dir.path, 'desk.sqlite3'));
    await db.exec('CREATE TABLE not_ours (x); INSERT INTO not_ours VALUES (1);'); // a stray table survives
    expect(await migrate(db, loadMigrations(), 1)).toBe(1);
    expect(await schemaVersion(db)).toBe(1);
    expect(await db.get('SELECT x FROM not_ours')).toEqual({ x: 1 });

    await db.run("INSERT INTO contacts (id, display_name, created_at, updated_at) VALUES (1, 'Ana', 0, 0)");
    await db.run("INSERT INTO contact_identities (contact_id, platform, platform_user_id, first_seen_at, last_seen_at) VALUES (1, 'x', '42', 0, 0)");
    await expect(db.run("INSERT INTO contact_identities (contact_id, platform, platform_user_id, first_seen_at, last_seen_at) VALUES (1, 'x', '42', 0, 0)")).rejects.toThrow(/UNIQUE/);
    // The same user id on another platform is another identity.
    await db.run("INSERT INTO contact_identities (contact_id, platform, platform_user_id, first_seen_at, last_seen_at) VALUES (1, 'messenger', '42', 0, 0)");
    await expect(db.run("INSERT INTO contact_identities (contact_id, platform, platform_user_id, first_seen_at, last_seen_at) VALUES (1, 'myspace', '1', 0, 0)")).rejects.toThrow(/CHECK/);

    const message = "INSERT INTO messages (platform, external_id, contact_id, kind, direction, visibility, text, created_at, received_at) VALUES ('x', 't1', 1, 'x.mention', 'inbound', 'public', 'hi', 0, 0)";
    await db.run(message);
    await expect(db.run(message)).rejects.toThrow(/UNIQUE/);
    await expect(db.run(message.replace("'t1', 1", "'t2', 99"))).rejects.toThrow(/FOREIGN KEY/);
    await expect(db.run(message.replace("'t1'", "'t3'").replace("'inbound'", "'sideways'"))).rejects.toThrow(/CHECK/);

    await db.run("INSERT INTO interactions (message_id, contact_id, state, created_at, updated_at) VALUES (1, 1, 'new', 0, 0)");
    await expect(db.run("INSERT INTO interactions (message_id, contact_id, state, created_at, updated_at) VALUES (1, 1, 'new', 0, 0)")).rejects.toThrow(/UNIQUE/);
    await expect(db.run("UPDATE interactions SET state = 'lost'")).rejects.toThrow(/CHECK/);
    await expect(db.run("INSERT INTO settings (key, value, updated_at, updated_by) VALUES ('k', 'not json', 0, 'x')")).rejects.toThrow(/CHECK/);
    await db.close();
  });
});
