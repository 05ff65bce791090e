/**
 * The business calendar and the emergency switch, one settings row each (JSON), checked
 * against their schemas on read: a row that no longer passes falls back to the default and is
 * reported, never silently used.
 */
import { CalendarConfig, EmergencyState, EMERGENCY_OFF } from '../calendar/schema';
import { defaultCalendar } from '../calendar/defaults';
import type { Sql } from './db';
import { writeSettingRow } from './settings';

const CALENDAR_KEY = 'calendar';
const EMERGENCY_KEY = 'emergency';

export interface CalendarRead {
  calendar: CalendarConfig;
  emergency: EmergencyState;
  /** Stored rows that failed validation (the defaults stand in for them). */
  rejected: string[];
}

export async function readCalendar(sql: Sql, zoneForDefault: string): Promise<CalendarRead> {
  const rows = await sql.all<{ key: string; value: string }>('SELECT key, value FROM settings WHERE key IN (?, ?)', [CALENDAR_KEY, EMERGENCY_KEY]);
  const byKey = new Map(rows.map((row) => [row.key, row.value]));
  const rejected: string[] = [];
  let calendar = defaultCalendar(zoneForDefault);
  const storedCalendar = byKey.get(CALENDAR_KEY);
  if (storedCalendar !== undefined) {
    const parsed = CalendarConfig.safeParse(JSON.parse(storedCalendar));
    if (parsed.success) calendar = parsed.data;
    else rejected.push(CALENDAR_KEY);
  }
  let emergency = EMERGENCY_OFF;
  const storedEmergency = byKey.get(EMERGENCY_KEY);
  if (storedEmergency !== undefined) {
    const parsed = EmergencyState.safeParse(JSON.parse(storedEmergency));
    if (parsed.success) emergency = parsed.data;
    else rejected.push(EMERGENCY_KEY);
  }
  return { calendar, emergency, rejected };
}

export function writeCalendar(sql: Sql, calendar: CalendarConfig, at: number, actor: string): Promise<void> {
  return writeSettingRow(sql, CALENDAR_KEY, calendar, at, actor);
}

export function writeEmergency(sql: Sql, emergency: EmergencyState, at: number, actor: string): Promise<void> {
  return writeSettingRow(sql, EMERGENCY_KEY, emergency, at, actor);
}
