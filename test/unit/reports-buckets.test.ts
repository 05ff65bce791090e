/** The report's days and weeks on the desk's wall clock, DST changes included. */
import { describe, expect, it } from 'vitest';
import { DeskFailure } from '../../electron/core/contract';
import { reportBuckets, reportSpan, wallClock } from '../../electron/core/reports/buckets';
import { durationFigures, quantile } from '../../electron/core/reports/aggregate';

const HOUR = 3_600_000;

describe('report days', () => {
  it('are calendar days in the zone: 23 hours when the clocks go forward, 25 when they go back', () => {
    const spring = reportBuckets('2025-03-29', '2025-03-31', 'Europe/Paris', 'day');
    expect(spring.map((b) => [b.date, (b.endAt - b.startAt) / HOUR])).toEqual([
      ['2025-03-29', 24],
      ['2025-03-30', 23],
      ['2025-03-31', 24],
    ]);
    expect(spring[0]!.startAt).toBe(Date.parse('2025-03-29T00:00:00+01:00'));
    expect(spring[2]!.endAt).toBe(Date.parse('2025-04-01T00:00:00+02:00'));
    const autumn = reportBuckets('2025-10-26', '2025-10-26', 'Europe/Paris', 'day');
    expect(autumn.map((b) => (b.endAt - b.startAt) / HOUR)).toEqual([25]);
    // Each bucket starts where the one before ended: no instant is counted twice or lost.
    for (let i = 1; i < spring.length; i += 1) expect(spring[i]!.startAt).toBe(spring[i - 1]!.endAt);
  });

  it('in a zone whose midnight is skipped by DST start at the first instant of the day', () => {
    // Santiago: clocks go from 00:00 to 01:00 on 7 September 2025.
    const [day] = reportBuckets('2025-09-07', '2025-09-07', 'America/Santiago', 'day');
    expect(day!.startAt).toBe(Date.parse('2025-09-07T01:00:00-03:00'));
    expect((day!.endAt - day!.startAt) / HOUR).toBe(23);
  });

  it('group into weeks from Monday, clipped to the range', () => {
    const weeks = reportBuckets('2025-03-26', '2025-04-08', 'Europe/Paris', 'week');
    expect(weeks.map((b) => [b.date, b.label])).toEqual([
      ['2025-03-26', 'Week of 24 Mar'],
      ['2025-03-31', 'Week of 31 Mar'],
      ['2025-04-07', 'Week of 7 Apr'],
    ]);
    expect((weeks[1]!.endAt - weeks[1]!.startAt) / HOUR).toBe(7 * 24);
    expect(weeks[2]!.endAt).toBe(Date.parse('2025-04-09T00:00:00+02:00'));
  });

  it('refuse an end before the start and a range over two years, with the reason', () => {
    expect(() => reportSpan('2025-03-10', '2025-03-09', 'Europe/Paris')).toThrow(new DeskFailure('bad_input', 'the end date is before the start date (from 2025-03-10 to 2025-03-09)'));
    expect(() => reportSpan('2020-01-01', '2025-01-01', 'UTC')).toThrow(/a report covers at most 732 days/);
    expect(reportSpan('2025-01-01', '2025-01-01', 'UTC').days).toBe(1);
  });
});

describe('wall-clock times for the CSV', () => {
  it('carry the offset and drop milliseconds', () => {
    expect(wallClock(Date.parse('2025-03-30T01:59:59.999Z'), 'Europe/Paris')).toBe('2025-03-30T03:59:59+02:00');
    expect(wallClock(Date.parse('2025-03-30T00:30:00Z'), 'Europe/Paris')).toBe('2025-03-30T01:30:00+01:00');
  });
});

describe('durations', () => {
  it('give the median and p90 by interpolation between ranks', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([10], 0.9)).toBe(10);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(durationFigures([60_000, 120_000, 180_000, 240_000, 300_000, 360_000, 420_000, 480_000, 540_000, 600_000])).toEqual({ count: 10, medianMs: 330_000, p90Ms: 546_000 });
    expect(durationFigures([])).toEqual({ count: 0, medianMs: null, p90Ms: null });
  });
});
