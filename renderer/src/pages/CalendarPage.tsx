/**
 * Calendar: when the desk is open and what customers hear when it is not. The page edits a
 * draft of the whole calendar (zone, weekly hours, special days, answers); "Save calendar" sends
 * all of it, and the desk either accepts it whole or refuses it naming every problem, which is
 * shown here (and next to what it is about) while the draft is kept. The "what happens at"
 * tester and the emergency switch history read what the desk has saved.
 */
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { DeskCallError, type DeskClient } from '../client/desk-client';
import { formatDateTime, zoneFormatOf, zoneLabel } from '../app/format';
import { SaveBarRow } from '../app/SaveBarRow';
import { CalendarIcon, ClockIcon, HistoryIcon, InfoIcon, MessageIcon, SettingsIcon, WarningIcon } from '../app/icons';
import { formatReopens, sampleValues } from '../calendar/answers';
import { useCalendarStore, useCalendarView } from '../calendar/calendar-store';
import { EmergencyHistory } from '../calendar/EmergencyHistory';
import { HoursList } from '../calendar/HoursList';
import { sameCalendar, weeklyRangeProblems, type Calendar, type Range, type Weekday } from '../calendar/model';
import { parseRefusal, problemsUnder, type CalendarProblem } from '../calendar/problems';
import { SpecialDays } from '../calendar/SpecialDays';
import { TemplatesEditor } from '../calendar/Templates';
import { Tester } from '../calendar/Tester';
import { WeekGrid } from '../calendar/WeekGrid';
import { localDate, wallAt } from '../calendar/zone';
import { localeOptions, timeZoneGroups } from '../calendar/zones';
import { useDeskClient, useDeskSnapshot } from '../state/hooks';
import { pageInfo } from './catalog';
import { PageHeader } from './PageHeader';

type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: number }
  | { kind: 'refused'; message: string; problems: CalendarProblem[]; sent: Calendar };

/** A draft left unsaved when the page was left, to find again on return (while the saved calendar is unchanged). */
const keptDrafts = new WeakMap<DeskClient, { base: Calendar; draft: Calendar }>();

/** The desk's time, updated each minute: enough for "today" on the grid and sample reopenings. */
function useDeskMinute(offsetMs: number): number {
  const [minute, setMinute] = useState(() => Math.floor((Date.now() + offsetMs) / 60_000));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      const now = Date.now() + offsetMs;
      timer = setTimeout(() => {
        setMinute(Math.floor((Date.now() + offsetMs) / 60_000));
        schedule();
      }, 60_000 - (now % 60_000) + 50);
    };
    setMinute(Math.floor((Date.now() + offsetMs) / 60_000));
    schedule();
    return () => clearTimeout(timer);
  }, [offsetMs]);
  return minute * 60_000;
}

function Card({ id, title, icon, note, children, testId, className }: { id: string; title: string; icon: ReactNode; note?: ReactNode; children: ReactNode; testId?: string; className?: string }) {
  return (
    <section className={`card${className !== undefined ? ` ${className}` : ''}`} aria-labelledby={id} data-testid={testId}>
      <div className="card-header">
        {icon}
        <h2 id={id} className="card-title">
          {title}
        </h2>
        {note !== undefined && <p className="card-header-note">{note}</p>}
      </div>
      {children}
    </section>
  );
}

function ProblemCallout({ problems, testId }: { problems: readonly CalendarProblem[]; testId?: string }) {
  if (problems.length === 0) return null;
  return (
    <ul className="inline-error problem-list" data-testid={testId}>
      {problems.map((problem, i) => (
        <li key={i}>
          <WarningIcon size={16} />
          <span>
            {problem.where !== '' && <strong>{problem.where}:</strong>} {problem.text}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function CalendarPage() {
  const client = useDeskClient();
  const store = useCalendarStore();
  const { view, error: loadError } = useCalendarView();
  const { status, clockOffsetMs } = useDeskSnapshot();
  const now = useDeskMinute(Math.round(clockOffsetMs / 1000) * 1000);
  const ids = useId();

  const [base, setBase] = useState<Calendar | null>(null);
  const [draft, setDraft] = useState<Calendar | null>(null);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [announcement, setAnnouncement] = useState('');
  const dirty = base !== null && draft !== null && !sameCalendar(base, draft);
  const saved = view?.calendar ?? null;
  /** Someone else saved while this page has unsaved edits. */
  const staleBase = dirty && saved !== null && base !== null && !sameCalendar(saved, base);

  // The first view: start from it (or from the draft left here earlier); later ones: follow along unless editing.
  useEffect(() => {
    if (saved === null) return;
    if (base === null) {
      const kept = keptDrafts.get(client);
      keptDrafts.delete(client);
      if (kept !== undefined && sameCalendar(kept.base, saved)) {
        setBase(kept.base);
        setDraft(kept.draft);
      } else {
        setBase(saved);
        setDraft(saved);
      }
      return;
    }
    if (!dirty && !sameCalendar(saved, base)) {
      setBase(saved);
      setDraft(saved);
    }
    // Only a new saved calendar should move the draft; the rest is read fresh each time.
  }, [saved]);

  // Leaving the page with unsaved edits keeps them for the way back.
  const latest = useRef({ base, draft, dirty });
  latest.current = { base, draft, dirty };
  useEffect(
    () => () => {
      const { base: b, draft: d, dirty: isDirty } = latest.current;
      if (isDirty && b !== null && d !== null) keptDrafts.set(client, { base: b, draft: d });
    },
    [client],
  );

  // Closing the window with unsaved edits asks first.
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  const rangeProblems = useMemo(() => (draft === null ? new Map() : weeklyRangeProblems(draft.weekly)), [draft]);
  const zones = useMemo(() => timeZoneGroups(draft?.zone ?? 'UTC'), [draft?.zone]);
  const deskName = status?.deskName ?? 'Social Care Desk';
  const timeFormat = status?.timeFormat ?? '24h';
  const values = useMemo(
    () => (draft === null ? {} : sampleValues({ calendar: draft, deskName, timeFormat, now, emergencyMessage: view?.emergency.message })),
    [draft, deskName, timeFormat, now, view?.emergency.message],
  );

  // The refusal's problems by section, kept stable between renders (the templates follow a new refusal to its tab).
  const sections = useMemo(() => {
    const all = save.kind === 'refused' ? save.problems : [];
    return {
      general: [...problemsUnder(all, 'zone'), ...problemsUnder(all, 'locale'), ...problemsUnder(all, 'answerOncePerClosedPeriod')],
      weekly: problemsUnder(all, 'weekly'),
      specialDays: problemsUnder(all, 'specialDays'),
      templates: problemsUnder(all, 'templates'),
    };
  }, [save]);

  const header = <PageHeader page={pageInfo('calendar')} />;
  if (draft === null || base === null) {
    return (
      <>
        {header}
        {loadError !== null ? (
          <p className="inline-error" role="alert">
            <WarningIcon size={16} /> Could not read the calendar: {loadError}
          </p>
        ) : (
          <p className="muted">Loading the calendar…</p>
        )}
      </>
    );
  }

  const edit = (change: (calendar: Calendar) => Calendar): void => {
    setDraft((current) => (current === null ? current : change(current)));
    if (save.kind === 'saved') setSave({ kind: 'idle' });
  };
  const setDay = (day: Weekday, ranges: Range[]) => edit((c) => ({ ...c, weekly: { ...c.weekly, [day]: ranges } }));

  const deskZone = zoneFormatOf(status);
  const savedZone = saved?.zone ?? draft.zone;
  const wall = wallAt(now, draft.zone);
  const today = { weekday: wall.weekday, minutes: wall.hour * 60 + wall.minute };
  const todayDate = localDate(now, draft.zone);

  const onSave = (): void => {
    if (!dirty || save.kind === 'saving') return;
    const sent = draft;
    setSave({ kind: 'saving' });
    client.saveCalendar({ calendar: sent }).then(
      (result) => {
        store.accept(result);
        setBase(result.calendar);
        setDraft((current) => (current === sent ? result.calendar : current));
        setSave({ kind: 'saved', at: Date.now() + clockOffsetMs });
        setAnnouncement('Calendar saved.');
      },
      (error: unknown) => {
        const message = error instanceof DeskCallError ? error.message : 'Something went wrong while asking the desk.';
        const refusal = error instanceof DeskCallError && error.code === 'bad_input';
        setSave({
          kind: 'refused',
          message,
          sent,
          problems: refusal
            ? parseRefusal(message, (index) => sent.specialDays[index]?.name ?? null)
            : [{ path: [], where: 'The desk', text: message }],
        });
        setAnnouncement('The calendar was not saved.');
      },
    );
  };

  const discard = (): void => {
    const target = saved ?? base;
    setBase(target);
    setDraft(target);
    setSave({ kind: 'idle' });
    setAnnouncement('Changes discarded.');
  };

  const reopensExample = formatReopens(now + 86_400_000, draft, timeFormat);

  return (
    <>
      {header}
      <p className="visually-hidden" aria-live="polite" data-testid="calendar-announce">
        {announcement}
      </p>

      {staleBase && (
        <div className="notice" role="status">
          <InfoIcon size={16} />
          <p>
            Someone else saved the calendar while you were editing. Saving replaces their version with yours.{' '}
            <button type="button" className="text-button" onClick={discard}>
              Load theirs and drop your changes
            </button>
          </p>
        </div>
      )}

      <Card id={`${ids}-general`} title="Zone and answers" icon={<SettingsIcon size={18} />} testId="calendar-general">
        <div className="card-pad calendar-general">
          <div className="field">
            <label htmlFor={`${ids}-zone`}>Time zone</label>
            <select id={`${ids}-zone`} value={draft.zone} onChange={(event) => edit((c) => ({ ...c, zone: event.target.value }))} aria-describedby={`${ids}-zone-hint`} data-testid="calendar-zone">
              {zones.map((group) => (
                <optgroup key={group.region} label={group.region}>
                  {group.zones.map((zone) => (
                    <option key={zone} value={zone}>
                      {zone.replaceAll('_', ' ')}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
            <p className="field-hint" id={`${ids}-zone-hint`}>
              Hours and special days are wall-clock times in {zoneLabel(draft.zone, now)}.
              {draft.zone !== savedZone && ' Saving also makes it the desk’s zone for every time in the console.'}
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-locale`}>Dates in answers</label>
            <select id={`${ids}-locale`} value={draft.locale} onChange={(event) => edit((c) => ({ ...c, locale: event.target.value }))} aria-describedby={`${ids}-locale-hint`}>
              {localeOptions(draft.locale).map(([code, label]) => (
                <option key={code} value={code}>
                  {label}
                </option>
              ))}
            </select>
            <p className="field-hint" id={`${ids}-locale-hint`}>
              {'{reopens_at}'} reads like “{reopensExample}”.
            </p>
          </div>
          <div className="field">
            <span className="field-label" id={`${ids}-once-label`}>
              How often
            </span>
            <label className="check-row">
              <input
                type="checkbox"
                checked={draft.answerOncePerClosedPeriod}
                onChange={(event) => edit((c) => ({ ...c, answerOncePerClosedPeriod: event.target.checked }))}
                aria-describedby={`${ids}-once-hint`}
              />
              <span>Answer each customer once per closed period</span>
            </label>
            <p className="field-hint" id={`${ids}-once-hint`}>
              Otherwise every message that arrives while the desk is closed gets the answer.
            </p>
          </div>
          <ProblemCallout problems={sections.general} />
        </div>
      </Card>

      <Card
        id={`${ids}-weekly`}
        title="Weekly hours"
        icon={<ClockIcon size={18} />}
        note="Drag down a day to add hours and select a block to change it, or type them in the list."
        testId="calendar-weekly"
      >
        <div className="card-pad weekly-body">
          <ProblemCallout problems={sections.weekly} testId="weekly-problems" />
          <div className="weekly-layout">
            <div className="weekly-main">
              <WeekGrid weekly={draft.weekly} problems={rangeProblems} zone={draft.zone} today={today} onChangeDay={setDay} onAnnounce={setAnnouncement} />
              <ul className="grid-legend" aria-label="Legend">
                <li>
                  <span className="legend-swatch legend-open" aria-hidden="true" /> Open
                </li>
                <li>
                  <span className="legend-swatch legend-continued" aria-hidden="true" /> Continues past midnight
                </li>
                <li>
                  <span className="legend-swatch legend-clash" aria-hidden="true" /> Overlaps or has a bad time: will not save
                </li>
                <li>
                  <span className="legend-swatch legend-now" aria-hidden="true" /> Now
                </li>
              </ul>
            </div>
            <div className="weekly-side">
              <h3 className="weekly-side-title">Hours by day</h3>
              <p className="field-hint">
                HH:MM in {draft.zone}. A closing time at or before the opening time runs past midnight; 24:00 closes at midnight.
              </p>
              <HoursList weekly={draft.weekly} problems={rangeProblems} onChangeDay={setDay} onAnnounce={setAnnouncement} />
            </div>
          </div>
        </div>
      </Card>

      <Card
        id={`${ids}-special`}
        title="Special days"
        icon={<CalendarIcon size={18} />}
        note="Holidays and closures override the weekly hours for their whole date."
        testId="calendar-special"
      >
        <div className="card-pad">
          <SpecialDays
            days={draft.specialDays}
            problems={sections.specialDays}
            today={todayDate}
            zone={draft.zone}
            onChange={(specialDays) => edit((c) => ({ ...c, specialDays }))}
            onAnnounce={setAnnouncement}
          />
        </div>
      </Card>

      <Card
        id={`${ids}-templates`}
        title="Answers when closed"
        icon={<MessageIcon size={18} />}
        note="What the desk sends by itself when a message arrives while it is closed."
        testId="calendar-templates"
      >
        <div className="card-pad">
          <TemplatesEditor templates={draft.templates} problems={sections.templates} values={values} onChange={(templates) => edit((c) => ({ ...c, templates }))} />
        </div>
      </Card>

      <Card id={`${ids}-tester`} title="What happens at…" icon={<ClockIcon size={18} />} note="Ask the desk what it would do with a message at any moment." testId="calendar-tester">
        <div className="card-pad">
          <Tester zone={savedZone} now={now} dirty={dirty} timeFormat={timeFormat} />
        </div>
      </Card>

      <Card
        id={`${ids}-history`}
        title="Emergency switch history"
        icon={<HistoryIcon size={18} />}
        note={
          view === null
            ? undefined
            : view.emergency.on
              ? `On since ${view.emergency.switchedAt === null ? '—' : formatDateTime(view.emergency.switchedAt, deskZone)}, switched on by ${view.emergency.switchedBy ?? 'someone'}.`
              : 'Off. Use the Emergency switch in the header to turn it on.'
        }
        testId="calendar-emergency"
      >
        <EmergencyHistory zone={deskZone} />
      </Card>

      <div className={`save-bar${dirty ? ' save-bar-dirty' : ''}${save.kind === 'refused' ? ' save-bar-refused' : ''}`} role="region" aria-label="Save the calendar" data-testid="calendar-save-bar">
        {save.kind === 'refused' && (
          <div className="save-refusal" role="alert" data-testid="calendar-refusal">
            <p className="save-refusal-title">
              <WarningIcon size={16} /> Not saved. The desk refused the calendar:
            </p>
            {!sameCalendar(save.sent, draft) && <p className="save-refusal-note">You have changed it since; save again to have it checked.</p>}
            <ul>
              {save.problems.map((problem, i) => (
                <li key={i}>
                  {problem.where !== '' && <strong>{problem.where}:</strong>} {problem.text}
                </li>
              ))}
            </ul>
          </div>
        )}
        <SaveBarRow
          name="calendar"
          saveLabel="Save calendar"
          dirty={dirty}
          saving={save.kind === 'saving'}
          savedAt={save.kind === 'saved' ? save.at : null}
          zone={deskZone}
          onDiscard={discard}
          onSave={onSave}
        />
      </div>
    </>
  );
}
