/**
 * Times are UTC epoch milliseconds everywhere in the desk; the console shows them in the
 * desk's configured zone and format, never the workstation's.
 */
import type { ConnectorName, DeskStatus, InteractionState, MessageKind, Platform, Settings } from '../../../electron/core/contract';

type TimeFormat = Settings['timeFormat'];

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string, timeFormat: TimeFormat, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${zone}|${timeFormat}|${JSON.stringify(options)}`;
  let existing = formatters.get(key);
  if (existing === undefined) {
    try {
      existing = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: zone, hour12: timeFormat === '12h' });
    } catch {
      // A zone this browser does not know: show UTC rather than nothing.
      existing = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC', hour12: timeFormat === '12h' });
    }
    formatters.set(key, existing);
  }
  return existing;
}

export interface ZoneFormat {
  readonly timeZone: string;
  readonly timeFormat: TimeFormat;
}

export function zoneFormatOf(status: DeskStatus | null): ZoneFormat {
  return { timeZone: status?.timeZone ?? 'UTC', timeFormat: status?.timeFormat ?? '24h' };
}

export function formatClock(ms: number, zone: ZoneFormat): string {
  return formatter(zone.timeZone, zone.timeFormat, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(ms);
}

export function formatClockDate(ms: number, zone: ZoneFormat): string {
  return formatter(zone.timeZone, zone.timeFormat, { weekday: 'short', day: 'numeric', month: 'short' }).format(ms);
}

/** "12 Mar 2025, 14:03" — for tables and message lists. */
export function formatDateTime(ms: number, zone: ZoneFormat): string {
  return formatter(zone.timeZone, zone.timeFormat, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(ms);
}

/** "14:03" — for times that are surely today or soon (a backoff's end). */
export function formatTime(ms: number, zone: ZoneFormat): string {
  return formatter(zone.timeZone, zone.timeFormat, { hour: '2-digit', minute: '2-digit' }).format(ms);
}

/** "14:03" today, "12 Mar 2026, 14:03" otherwise (in the desk's zone) — for compact lists. */
export function formatWhen(ms: number, now: number, zone: ZoneFormat): string {
  const day = formatter(zone.timeZone, zone.timeFormat, { day: 'numeric', month: 'short', year: 'numeric' });
  if (day.format(ms) === day.format(now)) return formatTime(ms, zone);
  return formatDateTime(ms, zone);
}

const numberFormat = new Intl.NumberFormat('en-GB');

/** 12,480 */
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** Machine-readable instant for <time dateTime>. */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString();
}

export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return 'less than a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} d`);
  if (hours > 0) parts.push(`${hours} h`);
  if (days === 0 && mins > 0) parts.push(`${mins} min`);
  return parts.join(' ');
}

/** "Europe/Paris (UTC+01:00)" */
export function zoneLabel(zone: string, at: number = Date.now()): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName');
    const offset = part?.value === 'GMT' ? 'UTC' : (part?.value.replace('GMT', 'UTC') ?? '');
    return offset === '' ? zone : `${zone} (${offset})`;
  } catch {
    return zone;
  }
}

export const platformLabels: Record<Platform, string> = {
  x: 'X',
  facebook: 'Facebook',
  messenger: 'Messenger',
};

export const messageKindLabels: Record<MessageKind, string> = {
  'x.mention': 'Mention',
  'x.reply': 'Reply',
  'x.dm': 'Direct message',
  'facebook.post': 'Page post',
  'facebook.comment': 'Comment',
  'facebook.reply': 'Comment reply',
  'facebook.private-reply': 'Private reply',
  'messenger.message': 'Message',
};

export const kindsByPlatform: Record<Platform, readonly MessageKind[]> = {
  x: ['x.mention', 'x.reply', 'x.dm'],
  facebook: ['facebook.post', 'facebook.comment', 'facebook.reply', 'facebook.private-reply'],
  messenger: ['messenger.message'],
};

export const interactionStateLabels: Record<InteractionState, string> = {
  new: 'New',
  ignored: 'Ignored',
  'auto-handled': 'Auto-handled',
  'waiting-for-open': 'Waiting for open',
  queued: 'Queued',
  assigned: 'Assigned',
  completed: 'Completed',
};

export const connectorLabels: Record<ConnectorName, string> = {
  x: 'X',
  facebook: 'Facebook Page',
  messenger: 'Messenger',
};
