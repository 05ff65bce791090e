/**
 * The accounts the desk watches: what is not secret (page id, Graph version, who the account
 * is) lives here; tokens and keys live in the SecretStore, never in SQLite.
 */
import { z } from 'zod';
import type { Sql } from './db';
import { writeSettingRow } from './settings';

export const XAccountRecord = z.strictObject({ identity: z.string().nullable(), userId: z.string().nullable(), stream: z.boolean() });
export const FacebookAccountRecord = z.strictObject({ pageId: z.string(), graphVersion: z.string(), identity: z.string().nullable() });
export type XAccountRecord = z.infer<typeof XAccountRecord>;
export type FacebookAccountRecord = z.infer<typeof FacebookAccountRecord>;

const KEYS = { x: 'account.x', facebook: 'account.facebook' } as const;

export async function readAccount<P extends 'x' | 'facebook'>(sql: Sql, platform: P): Promise<(P extends 'x' ? XAccountRecord : FacebookAccountRecord) | null> {
  const row = await sql.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [KEYS[platform]]);
  if (!row) return null;
  const schema = platform === 'x' ? XAccountRecord : FacebookAccountRecord;
  const parsed = schema.safeParse(JSON.parse(row.value));
  return parsed.success ? (parsed.data as P extends 'x' ? XAccountRecord : FacebookAccountRecord) : null;
}

export function writeAccount(sql: Sql, platform: 'x' | 'facebook', record: XAccountRecord | FacebookAccountRecord, at: number, actor: string): Promise<void> {
  return writeSettingRow(sql, KEYS[platform], record, at, actor);
}

export async function deleteAccount(sql: Sql, platform: 'x' | 'facebook'): Promise<void> {
  await sql.run('DELETE FROM settings WHERE key = ?', [KEYS[platform]]);
}
