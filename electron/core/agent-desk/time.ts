/** Instants as an agent reads them in the desk's zone and time format: "Tue 3 Mar, 14:05 CET". */
import { DateTime } from 'luxon';

export function agentTimeFormatter(zone: string, timeFormat: '24h' | '12h'): (at: number) => string {
  return (at) =>
    DateTime.fromMillis(at, { zone })
      .setLocale('en-GB')
      .toLocaleString({
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        hour: timeFormat === '24h' ? '2-digit' : 'numeric',
        minute: '2-digit',
        hourCycle: timeFormat === '24h' ? 'h23' : 'h12',
        timeZoneName: 'short',
      });
}
