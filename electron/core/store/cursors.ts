/**
 * Connector cursors (since_id, page cursors). A connector writes its cursor with the same
 * transaction handle that stores the messages it delivered, so both land or neither does.
 */
import type { Sql } from './db';

export async function readCursor(sql: Sql, connector: string, stream: string): Promise<string | null> {
  const row = await sql.get<{ value: string }>('SELECT value FROM connector_cursors WHERE connector = ? AND stream = ?', [connector, stream]);
  return row?.value ?? null;
}

export async function writeCursor(sql: Sql, connector: string, stream: string, value: string, at: number): Promise<void> {
  await sql.run(
    `INSERT INTO connector_cursors (connector, stream, value, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (connector, stream) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [connector, stream, value, at],
  );
}
