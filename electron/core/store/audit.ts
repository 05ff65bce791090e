/** The audit log: who changed what, when. Append-only. */
import type { AuditEntry, JsonValue } from '../contract';
import type { Sql } from './db';
import { decodeCursor, encodeCursor } from './paging';

export interface NewAuditEntry {
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  detail: Record<string, JsonValue> | null;
}

export async function appendAudit(sql: Sql, entry: NewAuditEntry): Promise<AuditEntry> {
  const { lastID } = await sql.run('INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)', [
    entry.at,
    entry.actor,
    entry.action,
    entry.subject,
    entry.detail === null ? null : JSON.stringify(entry.detail),
  ]);
  return { id: lastID, ...entry };
}

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  detail: string | null;
}

export async function readAudit(
  sql: Sql,
  query: { before?: string | undefined; action?: string | undefined; limit: number },
): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
  // The id alone orders entries (appended in time order); the cursor still carries `at` so
  // every cursor in the desk has one shape.
  const beforeId = query.before === undefined ? null : decodeCursor(query.before).id;
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (beforeId !== null) {
    where.push('id < ?');
    params.push(beforeId);
  }
  if (query.action !== undefined) {
    where.push('action = ?');
    params.push(query.action);
  }
  const rows = await sql.all<AuditRow>(
    `SELECT id, at, actor, action, subject, detail FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
    [...params, query.limit + 1],
  );
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    entries: page.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      action: row.action,
      subject: row.subject,
      detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, JsonValue>),
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
  };
}
