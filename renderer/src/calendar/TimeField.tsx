/**
 * A time of day typed as HH:MM. A text field rather than <input type="time">: a range may end at
 * 24:00, which a time picker cannot express, and the desk's own format is HH:MM whatever the
 * workstation's locale. "9:30", "930" and "9" are tidied to "09:30" and "09:00" on leaving the field.
 */
import type { RefObject } from 'react';
import { normalizeTime } from './model';

export interface TimeFieldProps {
  readonly id?: string;
  readonly label: string;
  /** Show the label above the field (otherwise it is for screen readers only). */
  readonly showLabel?: boolean;
  readonly value: string;
  readonly invalid?: boolean;
  readonly describedBy?: string;
  readonly testId?: string;
  readonly inputRef?: RefObject<HTMLInputElement | null>;
  onChange(value: string): void;
  /** Enter in the field (the value tidied first). */
  onEnter?(): void;
}

export function TimeField({ id, label, showLabel = false, value, invalid = false, describedBy, testId, inputRef, onChange, onEnter }: TimeFieldProps) {
  const input = (
    <input
      ref={inputRef}
      id={id}
      type="text"
      className="time-input"
      inputMode="numeric"
      autoComplete="off"
      spellCheck={false}
      placeholder="HH:MM"
      maxLength={5}
      value={value}
      aria-label={showLabel ? undefined : label}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      data-testid={testId}
      onChange={(event) => onChange(event.target.value)}
      onBlur={(event) => {
        const tidy = normalizeTime(event.target.value);
        if (tidy !== event.target.value) onChange(tidy);
      }}
      onKeyDown={(event) => {
        if (event.key !== 'Enter' || onEnter === undefined) return;
        event.preventDefault();
        const tidy = normalizeTime(event.currentTarget.value);
        if (tidy !== event.currentTarget.value) onChange(tidy);
        onEnter();
      }}
    />
  );
  if (!showLabel) return input;
  return (
    <label className="time-field">
      <span className="time-field-label">{label}</span>
      {input}
    </label>
  );
}
