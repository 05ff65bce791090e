/**
 * Special days: holidays and closures (closed all day) or days with hours of their own, once or
 * every year. Listed through the year; added and edited in a dialog; imported from .ics.
 */
import { useId, useRef, useState } from 'react';
import { CalendarIcon, PencilIcon, TrashIcon, WarningIcon } from '../app/icons';
import { IcsFileButton, IcsPreviewPanel, useIcsImport } from './IcsImport';
import { Modal } from './Modal';
import {
  crossesMidnight,
  dayRangeProblems,
  isPastDay,
  isSoundRange,
  normalizeTime,
  rangeLabel,
  specialDayDate,
  specialDayKey,
  specialDaySortKey,
  suggestedRange,
  type Range,
  type SpecialDay,
} from './model';
import type { CalendarProblem } from './problems';
import { TimeField } from './TimeField';

interface DayForm {
  /** Index in the draft, or null for a new day. */
  readonly index: number | null;
  readonly id: string | undefined;
  /** What the date picker holds: "YYYY-MM-DD". */
  readonly date: string;
  readonly recurrence: SpecialDay['recurrence'];
  readonly kind: SpecialDay['kind'];
  readonly ranges: Range[];
  readonly name: string;
  readonly message: string;
  readonly errors: Partial<Record<'date' | 'name' | 'ranges', string>>;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** A picker value for a saved day; a yearly "MM-DD" is shown in the current year (29 February: the next leap year). */
function pickerDate(day: SpecialDay, today: string): string {
  if (day.recurrence === 'none') return day.date;
  let year = Number(today.slice(0, 4));
  if (day.date === '02-29') while (!isLeap(year)) year++;
  return `${year}-${day.date}`;
}

function emptyForm(today: string): DayForm {
  return { index: null, id: undefined, date: today, recurrence: 'none', kind: 'closed', ranges: [], name: '', message: '', errors: {} };
}

function formOf(day: SpecialDay, index: number, today: string): DayForm {
  return {
    index,
    id: day.id,
    date: pickerDate(day, today),
    recurrence: day.recurrence,
    kind: day.kind,
    ranges: day.ranges ?? [],
    name: day.name,
    message: day.message ?? '',
    errors: {},
  };
}

function hoursText(day: SpecialDay): string {
  if (day.kind === 'closed') return 'Closed all day';
  return 'Open ' + (day.ranges ?? []).map((range) => rangeLabel(range) + (isSoundRange(range) && crossesMidnight(range) && range.end !== '00:00' ? ' (+1 day)' : '')).join(', ');
}

export interface SpecialDaysProps {
  readonly days: readonly SpecialDay[];
  /** The desk's refusal, the problems about special days. */
  readonly problems: readonly CalendarProblem[];
  /** "YYYY-MM-DD" in the desk's zone. */
  readonly today: string;
  readonly zone: string;
  onChange(days: SpecialDay[]): void;
  onAnnounce(text: string): void;
}

export function SpecialDays({ days, problems, today, zone, onChange, onAnnounce }: SpecialDaysProps) {
  const ids = useId();
  const [form, setForm] = useState<DayForm | null>(null);
  const dateRef = useRef<HTMLInputElement>(null);
  const ics = useIcsImport(days);

  const ordered = days.map((day, index) => ({ day, index })).sort((a, b) => specialDaySortKey(a.day).localeCompare(specialDaySortKey(b.day)));
  const problemsAt = (index: number) => problems.filter((problem) => problem.path[1] === String(index));
  const general = problems.filter((problem) => problem.path.length < 2);

  const save = (): void => {
    if (form === null) return;
    const errors: DayForm['errors'] = {};
    const date = /^\d{4}-\d{2}-\d{2}$/.test(form.date) ? form.date : '';
    if (date === '') errors.date = 'Choose a date.';
    const stored = form.recurrence === 'yearly' ? date.slice(5) : date;
    const clash = days.find((day, i) => i !== form.index && specialDayKey(day) === `${form.recurrence}:${stored}`);
    if (date !== '' && clash !== undefined) {
      errors.date = `${specialDayDate({ recurrence: form.recurrence, date: stored })}${form.recurrence === 'yearly' ? ' (every year)' : ''} is already a special day: ${clash.name}.`;
    }
    const name = form.name.trim();
    if (name === '') errors.name = 'Give the day a name: customers may read it in the special-day answer.';
    else if (name.length > 80) errors.name = `The name is ${name.length} characters; at most 80.`;
    const ranges = form.ranges.map((range) => ({ start: normalizeTime(range.start), end: normalizeTime(range.end) }));
    if (form.kind === 'special-hours') {
      const rangeProblems = dayRangeProblems(ranges);
      if (ranges.length === 0) errors.ranges = 'Add the hours the desk is open that day, or mark it closed all day.';
      else if (rangeProblems.size > 0) errors.ranges = [...rangeProblems.entries()].map(([i, p]) => `Range ${i + 1}: ${p}.`).join(' ');
    }
    if (Object.keys(errors).some((key) => errors[key as keyof typeof errors] !== undefined)) {
      setForm({ ...form, ranges, errors });
      return;
    }
    const message = form.message.trim();
    const day: SpecialDay = {
      ...(form.id !== undefined ? { id: form.id } : {}),
      date: stored,
      recurrence: form.recurrence,
      kind: form.kind,
      ...(form.kind === 'special-hours' ? { ranges } : {}),
      name,
      ...(message !== '' ? { message } : {}),
    };
    if (form.index === null) {
      onChange([...days, day]);
      onAnnounce(`Added special day ${name}.`);
    } else {
      onChange(days.map((d, i) => (i === form.index ? day : d)));
      onAnnounce(`Updated special day ${name}.`);
    }
    setForm(null);
  };

  const setRange = (index: number, patch: Partial<Range>) =>
    form !== null && setForm({ ...form, ranges: form.ranges.map((r, i) => (i === index ? { ...r, ...patch } : r)), errors: { ...form.errors, ranges: undefined } });

  return (
    <div className="special-days">
      <div className="special-toolbar">
        <button type="button" className="button button-primary" onClick={() => setForm(emptyForm(today))} data-testid="special-add">
          + Add special day
        </button>
        <IcsFileButton busy={ics.state.kind === 'reading'} onFile={ics.choose} />
        <p className="special-toolbar-note">Dates are days in {zone}: a special day runs from 00:00 to 24:00 there.</p>
      </div>

      <IcsPreviewPanel
        state={ics.state}
        onClose={ics.clear}
        onAdd={(added) => {
          onChange([...days, ...added]);
          onAnnounce(`Added ${added.length} special ${added.length === 1 ? 'day' : 'days'} from ${ics.state.kind === 'preview' ? ics.state.fileName : 'the file'}. Save the calendar to keep them.`);
          ics.clear();
        }}
      />

      {general.length > 0 && (
        <ul className="inline-error problem-list" role="list">
          {general.map((problem, i) => (
            <li key={i}>
              <WarningIcon size={16} /> {problem.text}
            </li>
          ))}
        </ul>
      )}

      {days.length === 0 ? (
        <div className="table-empty special-empty">
          <CalendarIcon size={24} />
          <p>No special days yet. Add holidays and closures one by one, or import a holiday calendar (.ics).</p>
        </div>
      ) : (
        <div className="table-scroll">
          <table className="table special-table" data-testid="special-days">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Name and message</th>
                <th scope="col">Hours</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {ordered.map(({ day, index }) => {
                const dayProblems = problemsAt(index);
                const past = isPastDay(day, today);
                return (
                  <tr key={`${index}-${specialDayKey(day)}`} className={past ? 'special-past' : undefined} data-testid="special-day">
                    <td className="nowrap">
                      <span className="special-date">{specialDayDate(day)}</span>
                      <span className="special-repeat">{day.recurrence === 'yearly' ? 'Every year' : past ? 'Past' : 'Once'}</span>
                    </td>
                    <td>
                      <div className="special-name-cell">
                      <span className="special-name">{day.name}</span>
                      {day.message !== undefined && day.message !== '' && <span className="special-message">{day.message}</span>}
                      {dayProblems.map((problem, i) => (
                        <span key={i} className="hours-problem" role="note">
                          <WarningIcon size={14} /> {problem.text}
                        </span>
                      ))}
                      </div>
                    </td>
                    <td>
                      <span className={`special-kind special-kind-${day.kind}`}>{hoursText(day)}</span>
                    </td>
                    <td className="special-actions">
                      <div className="special-actions-inner">
                        <button
                          type="button"
                          className="icon-button"
                          aria-label={`Edit ${day.name}`}
                          title="Edit"
                          onClick={() => setForm(formOf(day, index, today))}
                        >
                          <PencilIcon size={16} />
                        </button>
                        <button
                          type="button"
                          className="icon-button"
                          aria-label={`Remove ${day.name}`}
                          title="Remove"
                          onClick={() => {
                            onChange(days.filter((_, i) => i !== index));
                            onAnnounce(`Removed special day ${day.name}.`);
                          }}
                        >
                          <TrashIcon size={16} />
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <Modal
        open={form !== null}
        title={form?.index === null ? 'Add a special day' : 'Edit special day'}
        width="wide"
        initialFocus={dateRef}
        testId="special-dialog"
        onClose={() => setForm(null)}
        actions={
          <>
            <button type="button" className="button button-secondary" onClick={() => setForm(null)}>
              Cancel
            </button>
            <button type="button" className="button button-primary" onClick={save} data-testid="special-save">
              {form?.index === null ? 'Add day' : 'Apply'}
            </button>
          </>
        }
      >
        {form !== null && (
          <div className="form special-form">
            <div className="special-form-row">
              <div className="field">
                <label htmlFor={`${ids}-date`}>Date</label>
                <input
                  ref={dateRef}
                  id={`${ids}-date`}
                  type="date"
                  className="date-input"
                  value={form.date}
                  aria-invalid={form.errors.date !== undefined || undefined}
                  aria-describedby={`${ids}-date-hint${form.errors.date !== undefined ? ` ${ids}-date-error` : ''}`}
                  onChange={(event) => setForm({ ...form, date: event.target.value, errors: { ...form.errors, date: undefined } })}
                />
                <p className="field-hint" id={`${ids}-date-hint`}>
                  {/^\d{4}-\d{2}-\d{2}$/.test(form.date)
                    ? form.recurrence === 'yearly'
                      ? `Every year on ${specialDayDate({ recurrence: 'yearly', date: form.date.slice(5) })}${form.date.slice(5) === '02-29' ? ' (leap years only)' : ''}.`
                      : `${specialDayDate({ recurrence: 'none', date: form.date })} only.`
                    : 'A day in the desk’s zone.'}
                </p>
                {form.errors.date !== undefined && (
                  <p className="field-error" id={`${ids}-date-error`}>
                    <WarningIcon size={15} /> {form.errors.date}
                  </p>
                )}
              </div>
              <fieldset className="field">
                <legend>Repeats</legend>
                <div className="radio-row">
                  {(
                    [
                      ['none', 'Only this date'],
                      ['yearly', 'Every year'],
                    ] as const
                  ).map(([value, label]) => (
                    <label key={value} className="radio">
                      <input
                        type="radio"
                        name={`${ids}-recurrence`}
                        value={value}
                        checked={form.recurrence === value}
                        onChange={() => setForm({ ...form, recurrence: value, errors: { ...form.errors, date: undefined } })}
                      />
                      <span>{label}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
            </div>

            <div className="field">
              <label htmlFor={`${ids}-name`}>Name</label>
              <input
                id={`${ids}-name`}
                type="text"
                autoComplete="off"
                maxLength={100}
                placeholder="Christmas Day"
                value={form.name}
                aria-invalid={form.errors.name !== undefined || undefined}
                aria-describedby={`${ids}-name-hint${form.errors.name !== undefined ? ` ${ids}-name-error` : ''}`}
                onChange={(event) => setForm({ ...form, name: event.target.value, errors: { ...form.errors, name: undefined } })}
              />
              <p className="field-hint" id={`${ids}-name-hint`}>
                Special-day answers can use it as {'{special_day_name}'}. Up to 80 characters.
              </p>
              {form.errors.name !== undefined && (
                <p className="field-error" id={`${ids}-name-error`}>
                  <WarningIcon size={15} /> {form.errors.name}
                </p>
              )}
            </div>

            <fieldset className="field">
              <legend>That day the desk is</legend>
              <div className="radio-row">
                {(
                  [
                    ['closed', 'Closed all day'],
                    ['special-hours', 'Open on special hours'],
                  ] as const
                ).map(([value, label]) => (
                  <label key={value} className="radio">
                    <input
                      type="radio"
                      name={`${ids}-kind`}
                      value={value}
                      checked={form.kind === value}
                      onChange={() =>
                        setForm({
                          ...form,
                          kind: value,
                          ranges: value === 'special-hours' && form.ranges.length === 0 ? [{ start: '10:00', end: '14:00' }] : form.ranges,
                          errors: { ...form.errors, ranges: undefined },
                        })
                      }
                    />
                    <span>{label}</span>
                  </label>
                ))}
              </div>
            </fieldset>

            {form.kind === 'special-hours' && (
              <div className="field" role="group" aria-labelledby={`${ids}-hours-label`}>
                <span className="field-label" id={`${ids}-hours-label`}>
                  Hours that day
                </span>
                <div className="special-ranges">
                  {form.ranges.map((range, index) => (
                    <div key={index} className="hours-range-fields">
                      <TimeField label={`Range ${index + 1} opens`} value={range.start} onChange={(start) => setRange(index, { start })} invalid={form.errors.ranges !== undefined} />
                      <span className="hours-dash" aria-hidden="true">
                        –
                      </span>
                      <TimeField label={`Range ${index + 1} closes`} value={range.end} onChange={(end) => setRange(index, { end })} invalid={form.errors.ranges !== undefined} />
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={`Remove range ${index + 1}`}
                        onClick={() => setForm({ ...form, ranges: form.ranges.filter((_, i) => i !== index) })}
                      >
                        <TrashIcon size={16} />
                      </button>
                    </div>
                  ))}
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    onClick={() => setForm({ ...form, ranges: [...form.ranges, suggestedRange(form.ranges)], errors: { ...form.errors, ranges: undefined } })}
                  >
                    + Add hours
                  </button>
                </div>
                <p className="field-hint">HH:MM in {zone}. These hours replace the weekly hours for the whole date, including the previous evening’s hours past midnight.</p>
                {form.errors.ranges !== undefined && (
                  <p className="field-error">
                    <WarningIcon size={15} /> {form.errors.ranges}
                  </p>
                )}
              </div>
            )}

            <div className="field">
              <label htmlFor={`${ids}-message`}>
                Message <span className="optional-tag">optional</span>
              </label>
              <textarea
                id={`${ids}-message`}
                className="textarea"
                rows={3}
                maxLength={1000}
                value={form.message}
                aria-describedby={`${ids}-message-hint`}
                onChange={(event) => setForm({ ...form, message: event.target.value })}
              />
              <p className="field-hint" id={`${ids}-message-hint`}>
                Special-day answers can include it as {'{special_day_message}'} — for example where to get help meanwhile.
              </p>
            </div>
          </div>
        )}
      </Modal>
    </div>
  );
}
