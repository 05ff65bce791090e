/**
 * The one owner of the sqlite3 connection.
 *
 * sqlite3 runs every statement on libuv's thread pool, so two async callers can interleave
 * statements on the same connection. A transaction must not see a stranger's statement between
 * its BEGIN and COMMIT, so all access goes through one queue: a plain call waits its turn, and
 * a transaction holds the queue until it commits or rolls back. Inside a transaction the
 * callback gets a handle that runs straight on the connection.
 */
import sqlite3 from 'sqlite3';

export type SqlValue = string | number | bigint | null | Buffer;
export type Row = Record<string, SqlValue>;

export interface RunResult {
  lastID: number;
  changes: number;
}

/** What a statement runner can do; both the database and a transaction handle offer it. */
export interface Sql {
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  get<T extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  all<T extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /**
   * Inserts many rows with as few statements as possible: sqlite3 pays a thread-pool hop per
   * statement, so one multi-row INSERT per chunk is an order of magnitude faster than a
   * statement per row.
   */
  insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], options?: InsertManyOptions): Promise<number>;
}

export interface InsertManyOptions {
  /** `ignore` skips rows that break a unique constraint (INSERT OR IGNORE). */
  onConflict?: 'abort' | 'ignore';
  /** Called after each statement with the rows it inserted and the last id it gave. */
  onChunk?: (inserted: number, lastId: number) => void;
}

// SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32 is 32766; stay well under it.
const MAX_VARIABLES_PER_STATEMENT = 30_000;
const MAX_ROWS_PER_STATEMENT = 1_000;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a safe SQL identifier: ${JSON.stringify(name)}`);
  return name;
}

class Connection implements Sql {
  constructor(protected readonly raw: sqlite3.Database) {}

  run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      this.raw.run(sql, params as SqlValue[], function (this: sqlite3.RunResult, error: Error | null) {
        if (error) reject(withSql(error, sql));
        else resolve({ lastID: this.lastID, changes: this.changes });
      });
    });
  }

  get<T extends object = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.raw.get(sql, params as SqlValue[], (error: Error | null, row: T | undefined) => {
        if (error) reject(withSql(error, sql));
        else resolve(row);
      });
    });
  }

  all<T extends object = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.raw.all(sql, params as SqlValue[], (error: Error | null, rows: T[]) => {
        if (error) reject(withSql(error, sql));
        else resolve(rows);
      });
    });
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.raw.exec(sql, (error: Error | null) => (error ? reject(withSql(error, sql)) : resolve()));
    });
  }

  async insertMany(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    options: InsertManyOptions = {},
  ): Promise<number> {
    if (rows.length === 0) return 0;
    if (columns.length === 0) throw new Error('insertMany needs at least one column');
    const columnList = columns.map(checkIdentifier).join(', ');
    const verb = options.onConflict === 'ignore' ? 'INSERT OR IGNORE' : 'INSERT';
    const rowPlaceholder = `(${columns.map(() => '?').join(', ')})`;
    const perStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_VARIABLES_PER_STATEMENT / columns.length)));
    let inserted = 0;
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement);
      const params: SqlValue[] = [];
      for (const row of chunk) {
        if (row.length !== columns.length) {
          throw new Error(`insertMany into ${table}: a row has ${row.length} values for ${columns.length} columns`);
        }
        params.push(...row);
      }
      const sql = `${verb} INTO ${checkIdentifier(table)} (${columnList}) VALUES ${chunk.map(() => rowPlaceholder).join(', ')}`;
      const result = await this.run(sql, params);
      inserted += result.changes;
      options.onChunk?.(result.changes, result.lastID);
    }
    return inserted;
  }
}

/**
 * Inserts rows and returns their new ids in row order, without reading them back: SQLite gives
 * the rows of one multi-row INSERT into an INTEGER PRIMARY KEY table consecutive ids ending at
 * last_insert_rowid(). The rows must not conflict (a conflict aborts the statement).
 */
export async function insertWithIds(sql: Sql, table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number[]> {
  const ids: number[] = [];
  await sql.insertMany(table, columns, rows, {
    onChunk: (count, lastId) => {
      for (let id = lastId - count + 1; id <= lastId; id += 1) ids.push(id);
    },
  });
  if (ids.length !== rows.length) throw new Error(`insertWithIds into ${table}: ${ids.length} of ${rows.length} rows went in`);
  return ids;
}

function withSql(error: Error, sql: string): Error {
  const short = sql.length > 200 ? `${sql.slice(0, 200)}…` : sql;
  const wrapped = new Error(`${error.message} (in: ${short.replace(/\s+/g, ' ').trim()})`);
  (wrapped as Error & { code?: unknown }).code = (error as Error & { code?: unknown }).code;
  return wrapped;
}

/** A serial queue: each task starts when the one before it has settled. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();

  push<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

export class Database implements Sql {
  private readonly connection: Connection;
  private readonly queue = new Queue();
  private closed = false;

  private constructor(
    private readonly raw: sqlite3.Database,
    readonly path: string,
  ) {
    this.connection = new Connection(raw);
  }

  /** Opens (creating if needed) a database file with the desk's pragmas. */
  static async open(path: string): Promise<Database> {
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const db: sqlite3.Database = new sqlite3.Database(path, (error: Error | null) => (error ? reject(error) : resolve(db)));
    });
    const database = new Database(raw, path);
    try {
      // busy_timeout first: the other pragmas may need the lock a second process holds.
      await database.connection.exec('PRAGMA busy_timeout = 5000');
      if (path !== ':memory:') {
        const mode = await database.connection.get<{ journal_mode: string }>('PRAGMA journal_mode = WAL');
        if (mode?.journal_mode !== 'wal') throw new Error(`could not switch ${path} to WAL mode (got ${mode?.journal_mode})`);
      }
      // NORMAL is durable across application crashes in WAL mode; only an OS crash or power
      // loss can drop the last commits, which the connectors' cursors then fetch again.
      // A 64 MiB page cache keeps the hot indexes (messages by contact, identities) in memory
      // during a storm instead of re-reading them for every batch; the default is 2 MiB.
      await database.connection.exec('PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;');
    } catch (error) {
      await new Promise<void>((resolve) => raw.close(() => resolve()));
      throw error;
    }
    return database;
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return this.enqueue(() => this.connection.run(sql, params));
  }

  get<T extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.enqueue(() => this.connection.get<T>(sql, params));
  }

  all<T extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.enqueue(() => this.connection.all<T>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.enqueue(() => this.connection.exec(sql));
  }

  insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], options?: InsertManyOptions): Promise<number> {
    return this.transaction((tx) => tx.insertMany(table, columns, rows, options));
  }

  /**
   * Runs `work` inside BEGIN IMMEDIATE ... COMMIT, holding the queue so no other statement of
   * this process lands in between. Throwing rolls everything back. Do not call methods of the
   * Database itself from inside `work` (they would wait for the queue the transaction holds):
   * use the handle it is given.
   */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      await this.connection.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.connection);
        await this.connection.exec('COMMIT');
        return result;
      } catch (error) {
        await this.connection.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.push(async () => {
      // Fold the WAL back into the main file so a clean stop leaves one self-contained file.
      await this.connection.exec('PRAGMA wal_checkpoint(TRUNCATE)').catch(() => undefined);
      await new Promise<void>((resolve, reject) => this.raw.close((error: Error | null) => (error ? reject(error) : resolve())));
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`database ${this.path} is closed`));
    return this.queue.push(task);
  }
}
