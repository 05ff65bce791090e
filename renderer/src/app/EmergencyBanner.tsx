/**
 * Shown on every page while emergency mode is on: nobody should work the desk without knowing
 * that every customer is getting the emergency answer.
 */
import { useCalendarView } from '../calendar/calendar-store';
import { useDeskSnapshot } from '../state/hooks';
import { formatWhen, isoInstant, zoneFormatOf, type ZoneFormat } from './format';
import { SirenIcon } from './icons';

/** "at 10:42" today, "on 24 Nov 2026, 10:42" before, in the desk's zone. */
export function switchedWhen(at: number, now: number, zone: ZoneFormat): string {
  const when = formatWhen(at, now, zone);
  return when.includes(',') ? `on ${when}` : `at ${when}`;
}

export function EmergencyBanner() {
  const { view } = useCalendarView();
  const { status, clockOffsetMs } = useDeskSnapshot();
  if (status === null) return null;
  const emergency = view?.emergency ?? null;
  const on = emergency?.on ?? status.deskState.state === 'emergency';
  if (!on) return null;
  const zone = zoneFormatOf(status);
  const at = emergency?.switchedAt ?? null;
  return (
    <div className="emergency-banner" role="status" data-testid="emergency-banner">
      <SirenIcon size={20} />
      <p>
        <strong>EMERGENCY MODE — every customer gets the emergency answer</strong>
        {emergency !== null && emergency.switchedBy !== null && at !== null && (
          <span>
            ; switched on by {emergency.switchedBy} <time dateTime={isoInstant(at)}>{switchedWhen(at, Date.now() + clockOffsetMs, zone)}</time>.
          </span>
        )}
        {emergency !== null && emergency.message.trim() !== '' && <span className="emergency-banner-message">“{emergency.message.trim()}”</span>}
      </p>
    </div>
  );
}
