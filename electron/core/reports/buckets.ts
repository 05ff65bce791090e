/**
 * The report's days and weeks in the desk's zone. A bucket is a calendar day (or a Monday-first
 * week) on the wall clock of the zone, so the day a clock goes forward is 23 hours long and the
 * day it goes back 25: a completion belongs to the date a supervisor saw on the wall.
 */
import { DateTime } from 'luxon';
import { DeskFailure, REPORT_MAX_DAYS, type ReportGranularity } from '../contract';

export interface Bucket {
  /** First day of the bucket, YYYY-MM-DD. */
  date: string;
  label: string;
  startAt: number;
  endAt: number;
}

export interface ReportSpan {
  startAt: number;
  endAt: number;
  days: number;
}

function dayStart(date: string, zone: string): DateTime {
  const day = DateTime.fromISO(date, { zone });
  if (!day.isValid) throw new DeskFailure('bad_input', `${date} is not a date in ${zone}`);
  return day.startOf('day');
}

/**
 * The instants a date range covers (from's midnight to the midnight after `to`), refusing an end
 * before the start and a range longer than the reports read.
 */
export function reportSpan(from: string, to: string, zone: string): ReportSpan {
  const start = dayStart(from, zone);
  const last = dayStart(to, zone);
  if (last < start) throw new DeskFailure('bad_input', `the end date is before the start date (from ${from} to ${to})`);
  const days = Math.round(last.diff(start, 'days').days) + 1;
  if (days > REPORT_MAX_DAYS) throw new DeskFailure('bad_input', `the range from ${from} to ${to} is ${days} days long: a report covers at most ${REPORT_MAX_DAYS} days`);
  return { startAt: start.toMillis(), endAt: last.plus({ days: 1 }).startOf('day').toMillis(), days };
}

/** The range's buckets, in order; weeks start on Monday and are clipped to the range. */
export function reportBuckets(from: string, to: string, zone: string, granularity: ReportGranularity): Bucket[] {
  const span = reportSpan(from, to, zone);
  const end = DateTime.fromMillis(span.endAt, { zone });
  const buckets: Bucket[] = [];
  let cursor = dayStart(from, zone);
  while (cursor < end) {
    const next = granularity === 'day' ? cursor.plus({ days: 1 }).startOf('day') : cursor.startOf('week').plus({ weeks: 1 }).startOf('day');
    const stop = next < end ? next : end;
    const date = cursor.toISODate() ?? '';
    buckets.push({
      date,
      label: granularity === 'day' ? cursor.toFormat('d LLL') : `Week of ${cursor.startOf('week').toFormat('d LLL')}`,
      startAt: cursor.toMillis(),
      endAt: stop.toMillis(),
    });
    cursor = stop;
  }
  return buckets;
}

/**
 * An instant as the desk's wall clock shows it, to the second, with its offset: unambiguous on a
 * DST night, and read as a date by spreadsheets.
 */
export function wallClock(at: number, zone: string): string {
  return DateTime.fromMillis(at - (((at % 1000) + 1000) % 1000), { zone }).toISO({ suppressMilliseconds: true }) ?? '';
}

/** Today's date in the zone, for default ranges. */
export function dateInZone(at: number, zone: string): string {
  return DateTime.fromMillis(at, { zone }).toISODate() ?? '';
}
