/**
 * The weekly hours as a list of time fields per day: the keyboard way to do what the grid does
 * with a pointer. Edits go straight into the draft; problems (bad times, overlaps) show next to
 * the range while typing, and the desk has the last word on save.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { TrashIcon } from '../app/icons';
import {
  crossesMidnight,
  isSoundRange,
  nextWeekday,
  suggestedRange,
  weekdayLabels,
  WEEKDAYS,
  type Range,
  type RangeKey,
  type Weekday,
  type WeeklyHours,
} from './model';
import { TimeField } from './TimeField';

export interface HoursListProps {
  readonly weekly: WeeklyHours;
  readonly problems: ReadonlyMap<RangeKey, string>;
  onChangeDay(day: Weekday, ranges: Range[]): void;
  onAnnounce(text: string): void;
}

export function HoursList({ weekly, problems, onChangeDay, onAnnounce }: HoursListProps) {
  const ids = useId();
  const listRef = useRef<HTMLDivElement>(null);
  // After adding a range, focus its first field; after removing one, the day's "Add" button.
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  useEffect(() => {
    if (focusTarget === null) return;
    listRef.current?.querySelector<HTMLElement>(`[data-testid="${focusTarget}"]`)?.focus();
    setFocusTarget(null);
  }, [focusTarget, weekly]);

  return (
    <div className="hours-list" data-testid="hours-list" ref={listRef}>
      {WEEKDAYS.map((day) => {
        const ranges = weekly[day];
        const dayId = `${ids}-${day}`;
        return (
          <div key={day} className="hours-day" role="group" aria-labelledby={dayId} data-testid={`hours-${day}`}>
            <span id={dayId} className="hours-day-name">
              {weekdayLabels[day]}
            </span>
            <div className="hours-day-ranges">
              {ranges.length === 0 && <span className="hours-closed">Closed</span>}
              {ranges.map((range, index) => {
                const key: RangeKey = `${day}:${index}`;
                const problem = problems.get(key);
                const problemId = `${dayId}-${index}-problem`;
                const label = `${weekdayLabels[day]} range ${index + 1}`;
                const set = (patch: Partial<Range>) => onChangeDay(day, ranges.map((r, i) => (i === index ? { ...r, ...patch } : r)));
                return (
                  <div key={index} className="hours-range">
                    <div className="hours-range-fields">
                      <TimeField
                        label={`${label} opens`}
                        value={range.start}
                        invalid={problem !== undefined}
                        describedBy={problem !== undefined ? problemId : undefined}
                        testId={`${day}-${index}-start`}
                        onChange={(start) => set({ start })}
                      />
                      <span className="hours-dash" aria-hidden="true">
                        –
                      </span>
                      <TimeField
                        label={`${label} closes`}
                        value={range.end}
                        invalid={problem !== undefined}
                        describedBy={problem !== undefined ? problemId : undefined}
                        testId={`${day}-${index}-end`}
                        onChange={(end) => set({ end })}
                      />
                      <button
                        type="button"
                        className="icon-button hours-remove"
                        aria-label={`Remove ${label}`}
                        title="Remove this range"
                        onClick={() => {
                          onChangeDay(
                            day,
                            ranges.filter((_, i) => i !== index),
                          );
                          onAnnounce(`Removed ${label}.`);
                          setFocusTarget(`${day}-add`);
                        }}
                      >
                        <TrashIcon size={16} />
                      </button>
                    </div>
                    {problem === undefined && isSoundRange(range) && crossesMidnight(range) && range.end !== '00:00' && (
                      <span className="hours-note">Closes {weekdayLabels[nextWeekday(day)]} {range.end}</span>
                    )}
                    {problem !== undefined && (
                      <span className="hours-problem" id={problemId}>
                        {problem}
                      </span>
                    )}
                  </div>
                );
              })}
              <button
                type="button"
                className="button button-ghost button-small hours-add"
                data-testid={`${day}-add`}
                disabled={ranges.length >= 12}
                onClick={() => {
                  onChangeDay(day, [...ranges, suggestedRange(ranges)]);
                  onAnnounce(`Added a range to ${weekdayLabels[day]}.`);
                  setFocusTarget(`${day}-${ranges.length}-start`);
                }}
              >
                + Add hours<span className="visually-hidden"> to {weekdayLabels[day]}</span>
              </button>
            </div>
          </div>
        );
      })}
    </div>
  );
}
