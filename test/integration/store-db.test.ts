import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Database } from '../../electron/core/store/db';
import { tempDir } from '../support/temp';

let dir: ReturnType<typeof tempDir>;
let db: Database;

beforeEach(async () => {
  dir = tempDir();
  db = await Database.open(join(dir.path, 'test.sqlite3'));
  await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT UNIQUE NOT NULL, n INTEGER)');
});

afterEach(async () => {
  await db.close();
  dir.remove();
});

describe('the store connection', () => {
  it('opens in WAL mode with foreign keys enforced', async () => {
    expect(await db.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await db.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
    await db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent(id))');
    await expect(db.run('INSERT INTO child (p) VALUES (42)')).rejects.toThrow(/FOREIGN KEY/);
  });

  it('keeps other statements out of a transaction until it ends', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seenInside: number[] = [];
    const tx = db.transaction(async (sql) => {
      await sql.run("INSERT INTO t (k, n) VALUES ('a', 1)");
      await gate; // another caller tries to write while this transaction is open
      seenInside.push((await sql.get<{ c: number }>('SELECT count(*) AS c FROM t'))!.c);
      throw new Error('changed my mind');
    });
    const outsider = db.run("INSERT INTO t (k, n) VALUES ('b', 2)");
    release();
    await expect(tx).rejects.toThrow('changed my mind');
    await outsider;
    // The outsider did not land inside the transaction, and was not rolled back with it.
    expect(seenInside).toEqual([1]);
    expect(await db.all('SELECT k FROM t ORDER BY k')).toEqual([{ k: 'b' }]);
  });

  it('inserts many rows in chunks, skipping duplicates when asked', async () => {
    const rows = Array.from({ length: 2_500 }, (_, i) => [`k${i}`, i] as const);
    expect(await db.insertMany('t', ['k', 'n'], rows)).toBe(2_500);
    expect(await db.insertMany('t', ['k', 'n'], [['k1', 9], ['new', 9]], { onConflict: 'ignore' })).toBe(1);
    await expect(db.insertMany('t', ['k', 'n'], [['k2', 9]])).rejects.toThrow(/UNIQUE/);
    expect(await db.get('SELECT count(*) AS c, sum(n) AS s FROM t')).toEqual({ c: 2_501, s: (2_499 * 2_500) / 2 + 9 });
  });

  it('rolls back a whole batch when one row is bad', async () => {
    await expect(db.insertMany('t', ['k', 'n'], [['x', 1], ['y', 2], ['x', 3]])).rejects.toThrow(/UNIQUE/);
    expect(await db.get('SELECT count(*) AS c FROM t')).toEqual({ c: 0 });
  });

  it('refuses identifiers that are not plain names and rows of the wrong width', async () => {
    await expect(db.insertMany('t; DROP TABLE t', ['k'], [['a']])).rejects.toThrow(/safe SQL identifier/);
    await expect(db.insertMany('t', ['k', 'n'], [['a']])).rejects.toThrow(/1 values for 2 columns/);
  });

  it('says which statement failed', async () => {
    await expect(db.run('SELECT * FROM nowhere')).rejects.toThrow(/no such table: nowhere \(in: SELECT \* FROM nowhere\)/);
  });

  it('refuses work after close', async () => {
    await db.close();
    await expect(db.get('SELECT 1')).rejects.toThrow(/closed/);
  });
});
