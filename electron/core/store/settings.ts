/** Settings, one row per key, each value stored as JSON and checked against the contract on read. */
import { DEFAULT_SETTINGS, Settings } from '../contract';
import type { Sql } from './db';

export interface SettingsRead {
  settings: Settings;
  /** Keys whose stored value no longer passes validation (the default is used instead). */
  rejected: string[];
}

export async function readSettings(sql: Sql): Promise<SettingsRead> {
  const rows = await sql.all<{ key: string; value: string }>('SELECT key, value FROM settings');
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const rejected: string[] = [];
  const shape = Settings.shape;
  for (const row of rows) {
    if (!Object.prototype.hasOwnProperty.call(shape, row.key)) continue; // a key from a newer desk: leave it alone
    const field = shape[row.key as keyof typeof shape];
    const parsed = field.safeParse(JSON.parse(row.value));
    if (parsed.success) merged[row.key] = parsed.data;
    else rejected.push(row.key);
  }
  return { settings: Settings.parse(merged), rejected };
}

/** Writes the given keys; the caller has validated the whole result already. */
export async function writeSettings(sql: Sql, values: Partial<Settings>, at: number, actor: string): Promise<void> {
  for (const [key, value] of Object.entries(values)) await writeSettingRow(sql, key, value, at, actor);
}

/** One settings row, as JSON (the calendar, accounts and desk settings all live in this table). */
export async function writeSettingRow(sql: Sql, key: string, value: unknown, at: number, actor: string): Promise<void> {
  await sql.run(
    `INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    [key, JSON.stringify(value), at, actor],
  );
}
