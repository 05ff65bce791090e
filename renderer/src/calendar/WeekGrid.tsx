/**
 * The week as a grid: seven days by 24 hours in 30-minute steps. Drag down a day to draw
 * opening hours (a click adds one hour); what is drawn merges with the hours it touches. Each
 * range is a button: it opens a dialog to set its start and end precisely, or delete it. A range
 * that runs past midnight is drawn on its own day and continued on the next (Sunday's on Monday).
 * The list beside the grid edits the same hours with the keyboard.
 */
import { useId, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { TrashIcon } from '../app/icons';
import { Modal } from './Modal';
import {
  addStretch,
  crossesMidnight,
  DAY_MINUTES,
  isSoundRange,
  nextWeekday,
  normalizeTime,
  rangeLabel,
  rangeProblem,
  rangeSpan,
  sortRanges,
  timeOf,
  weekdayLabels,
  weekdayShort,
  WEEKDAYS,
  type Range,
  type RangeKey,
  type Weekday,
  type WeeklyHours,
} from './model';
import { TimeField } from './TimeField';

const SLOT_MINUTES = 30;
const SLOTS = DAY_MINUTES / SLOT_MINUTES;
/** Pixels per 30 minutes (the CSS draws hour lines every two slots). */
const SLOT_PX = 12;
const DAY_PX = SLOTS * SLOT_PX;

interface Drag {
  readonly day: Weekday;
  readonly anchor: number;
  readonly current: number;
  readonly moved: boolean;
}

interface Segment {
  /** The range's own day and index in it. */
  readonly day: Weekday;
  readonly index: number;
  readonly range: Range;
  readonly from: number;
  readonly to: number;
  /** The part after midnight, drawn on the next day. */
  readonly continued: boolean;
  /** The range goes on past the bottom of this day. */
  readonly goesOn: boolean;
}

function segmentsByDay(weekly: WeeklyHours): Map<Weekday, Segment[]> {
  const out = new Map<Weekday, Segment[]>(WEEKDAYS.map((day) => [day, []]));
  for (const day of WEEKDAYS) {
    weekly[day].forEach((range, index) => {
      if (!isSoundRange(range)) return;
      const [from, to] = rangeSpan(range);
      out.get(day)!.push({ day, index, range, from, to: Math.min(to, DAY_MINUTES), continued: false, goesOn: to > DAY_MINUTES });
      if (to > DAY_MINUTES) {
        out.get(nextWeekday(day))!.push({ day, index, range, from: 0, to: to - DAY_MINUTES, continued: true, goesOn: false });
      }
    });
  }
  return out;
}

function hoursOf(ranges: readonly Range[]): string {
  const minutes = ranges.filter(isSoundRange).reduce((sum, range) => {
    const [from, to] = rangeSpan(range);
    return sum + (to - from);
  }, 0);
  if (minutes === 0) return 'Closed';
  const hours = minutes / 60;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}

function slotAt(event: ReactPointerEvent<HTMLElement>, column: HTMLElement): number {
  const rect = column.getBoundingClientRect();
  const slot = Math.floor((event.clientY - rect.top) / SLOT_PX);
  return Math.max(0, Math.min(SLOTS - 1, slot));
}

export interface WeekGridProps {
  readonly weekly: WeeklyHours;
  /** Problems per range (overlaps, bad times): those ranges are drawn as clashing. */
  readonly problems: ReadonlyMap<RangeKey, string>;
  readonly zone: string;
  /** Today's weekday and the minutes since midnight, in the desk's zone. */
  readonly today: { weekday: Weekday; minutes: number } | null;
  onChangeDay(day: Weekday, ranges: Range[]): void;
  /** Says what just happened, for screen readers. */
  onAnnounce(text: string): void;
}

export function WeekGrid({ weekly, problems, zone, today, onChangeDay, onAnnounce }: WeekGridProps) {
  const [drag, setDrag] = useState<Drag | null>(null);
  const [editing, setEditing] = useState<{ day: Weekday; index: number; start: string; end: string; error: string | null } | null>(null);
  const ids = useId();
  const startRef = useRef<HTMLInputElement>(null);
  const segments = segmentsByDay(weekly);

  const finishDrag = (current: Drag): void => {
    const low = Math.min(current.anchor, current.current);
    const high = Math.max(current.anchor, current.current);
    const from = low * SLOT_MINUTES;
    // A click (no drag) adds an hour.
    const to = current.moved ? (high + 1) * SLOT_MINUTES : Math.min(DAY_MINUTES, from + 60);
    const next = addStretch(weekly, current.day, from, to);
    if (next === null) {
      onAnnounce(`${weekdayLabels[current.day]} ${timeOf(from)}–${timeOf(to)} is already open (the previous evening’s hours run into it).`);
      return;
    }
    onChangeDay(current.day, next);
    onAnnounce(`Added ${weekdayLabels[current.day]} ${timeOf(from)}–${timeOf(to)}.`);
  };

  const openEditor = (day: Weekday, index: number): void => {
    const range = weekly[day][index];
    if (range === undefined) return;
    setEditing({ day, index, start: range.start, end: range.end, error: null });
  };

  const applyEdit = (): void => {
    if (editing === null) return;
    const range: Range = { start: normalizeTime(editing.start), end: normalizeTime(editing.end) };
    const problem = rangeProblem(range);
    if (problem !== null) {
      setEditing({ ...editing, ...range, error: `${problem}.` });
      return;
    }
    const ranges = weekly[editing.day].map((r, i) => (i === editing.index ? range : r));
    onChangeDay(editing.day, sortRanges(ranges));
    onAnnounce(`${weekdayLabels[editing.day]} range set to ${rangeLabel(range)}.`);
    setEditing(null);
  };

  const deleteEdited = (): void => {
    if (editing === null) return;
    const removed = weekly[editing.day][editing.index];
    onChangeDay(
      editing.day,
      weekly[editing.day].filter((_, i) => i !== editing.index),
    );
    if (removed !== undefined) onAnnounce(`Removed ${weekdayLabels[editing.day]} ${rangeLabel(removed)}.`);
    setEditing(null);
  };

  const preview =
    drag === null
      ? null
      : (() => {
          const low = Math.min(drag.anchor, drag.current);
          const high = Math.max(drag.anchor, drag.current);
          const from = low * SLOT_MINUTES;
          const to = drag.moved ? (high + 1) * SLOT_MINUTES : Math.min(DAY_MINUTES, from + 60);
          return { day: drag.day, from, to };
        })();

  const editedRange: Range | null = editing === null ? null : { start: normalizeTime(editing.start), end: normalizeTime(editing.end) };
  const editedCrosses = editedRange !== null && rangeProblem(editedRange) === null && crossesMidnight(editedRange) && editedRange.end !== '00:00';

  return (
    <div className="week-grid" data-testid="week-grid">
      <div className="week-grid-head" aria-hidden="true">
        <span className="week-grid-corner" />
        {WEEKDAYS.map((day) => (
          <span key={day} className={`week-grid-day-name${today?.weekday === day ? ' week-grid-today' : ''}`}>
            <span className="week-grid-day-short">{weekdayShort[day]}</span>
            <span className="week-grid-day-hours">{today?.weekday === day ? 'Today' : hoursOf(weekly[day])}</span>
          </span>
        ))}
      </div>
      <div className="week-grid-body" style={{ height: DAY_PX }}>
        <div className="week-grid-axis" aria-hidden="true">
          {Array.from({ length: 13 }, (_, i) => i * 2).map((hour) => (
            <span key={hour} className="week-grid-hour" style={{ top: hour * 2 * SLOT_PX }}>
              {timeOf(hour * 60)}
            </span>
          ))}
        </div>
        {WEEKDAYS.map((day) => (
          <div
            key={day}
            className={`week-grid-column${today?.weekday === day ? ' week-grid-column-today' : ''}`}
            role="group"
            aria-label={`${weekdayLabels[day]} (${zone})`}
            data-day={day}
            onPointerDown={(event) => {
              if (event.button !== 0 || event.target !== event.currentTarget) return;
              event.preventDefault();
              event.currentTarget.setPointerCapture(event.pointerId);
              const slot = slotAt(event, event.currentTarget);
              setDrag({ day, anchor: slot, current: slot, moved: false });
            }}
            onPointerMove={(event) => {
              if (drag === null || drag.day !== day) return;
              const slot = slotAt(event, event.currentTarget);
              if (slot !== drag.current) setDrag({ ...drag, current: slot, moved: true });
            }}
            onPointerUp={() => {
              if (drag === null || drag.day !== day) return;
              setDrag(null);
              finishDrag(drag);
            }}
            onPointerCancel={() => setDrag(null)}
            onLostPointerCapture={() => setDrag((current) => (current !== null && current.day === day ? null : current))}
          >
            {segments.get(day)!.map((segment) => {
              const key: RangeKey = `${segment.day}:${segment.index}`;
              const clash = problems.has(key);
              const height = ((segment.to - segment.from) / SLOT_MINUTES) * SLOT_PX;
              const label = segment.continued
                ? `${weekdayLabels[segment.day]} ${rangeLabel(segment.range)}, continued on ${weekdayLabels[day]} until ${segment.range.end}`
                : `${weekdayLabels[segment.day]} ${rangeLabel(segment.range)}${segment.goesOn ? `, runs into ${weekdayLabels[nextWeekday(segment.day)]}` : ''}`;
              return (
                <button
                  key={`${segment.day}-${segment.index}-${segment.continued ? 'c' : 'o'}`}
                  type="button"
                  className={[
                    'range-block',
                    segment.continued ? 'range-block-continued' : '',
                    segment.goesOn ? 'range-block-goes-on' : '',
                    clash ? 'range-block-clash' : '',
                    height < 30 ? 'range-block-short' : '',
                  ]
                    .filter(Boolean)
                    .join(' ')}
                  style={{ top: (segment.from / SLOT_MINUTES) * SLOT_PX, height }}
                  aria-label={`${label}${clash ? ` — ${problems.get(key)}` : ''}. Edit`}
                  title={clash ? problems.get(key) : undefined}
                  data-testid="range-block"
                  onClick={() => openEditor(segment.day, segment.index)}
                >
                  <span className="range-block-time">
                    {segment.continued ? `until ${segment.range.end}` : `${segment.range.start}–\u200b${segment.range.end}`}
                  </span>
                </button>
              );
            })}
            {preview !== null && preview.day === day && (
              <span
                className="range-preview"
                style={{ top: (preview.from / SLOT_MINUTES) * SLOT_PX, height: ((preview.to - preview.from) / SLOT_MINUTES) * SLOT_PX }}
                aria-hidden="true"
              >
                {timeOf(preview.from)}–{timeOf(preview.to)}
              </span>
            )}
            {today?.weekday === day && <span className="week-grid-now" style={{ top: (today.minutes / SLOT_MINUTES) * SLOT_PX }} aria-hidden="true" />}
          </div>
        ))}
      </div>

      <Modal
        open={editing !== null}
        title={editing === null ? '' : `${weekdayLabels[editing.day]} opening hours`}
        initialFocus={startRef}
        testId="range-dialog"
        onClose={() => setEditing(null)}
        actions={
          <>
            <button type="button" className="button button-delete" onClick={deleteEdited} data-testid="range-delete">
              <TrashIcon size={16} /> Delete range
            </button>
            <button type="button" className="button button-secondary" onClick={() => setEditing(null)}>
              Cancel
            </button>
            <button type="button" className="button button-primary" onClick={applyEdit} data-testid="range-apply">
              Apply
            </button>
          </>
        }
      >
        {editing !== null && (
          <div className="range-form">
            <div className="range-form-fields">
              <TimeField
                label="Opens at"
                showLabel
                inputRef={startRef}
                value={editing.start}
                invalid={editing.error !== null}
                describedBy={`${ids}-hint`}
                testId="range-start"
                onChange={(start) => setEditing({ ...editing, start, error: null })}
                onEnter={applyEdit}
              />
              <span className="range-form-dash" aria-hidden="true">
                –
              </span>
              <TimeField
                label="Closes at"
                showLabel
                value={editing.end}
                invalid={editing.error !== null}
                describedBy={`${ids}-hint`}
                testId="range-end"
                onChange={(end) => setEditing({ ...editing, end, error: null })}
                onEnter={applyEdit}
              />
            </div>
            <p className="field-hint" id={`${ids}-hint`}>
              HH:MM in {zone}. A closing time at or before the opening time runs past midnight into {weekdayLabels[nextWeekday(editing.day)]};
              24:00 closes at midnight.
            </p>
            {editedCrosses && editedRange !== null && (
              <p className="range-form-crosses">
                Closes on {weekdayLabels[nextWeekday(editing.day)]} at {editedRange.end}.
              </p>
            )}
            {editing.error !== null && (
              <p className="field-error" role="alert">
                {editing.error}
              </p>
            )}
          </div>
        )}
      </Modal>
    </div>
  );
}
