/**
 * A list of short values as chips: type and press Enter (or a comma) to add, the × to remove,
 * Backspace in the empty field to remove the last. What is still typed when the field loses focus
 * is added too, so nothing typed is lost on Save. Values are shown as text.
 */
import { useId, useState, type KeyboardEvent } from 'react';
import { CloseIcon } from '../app/icons';

export interface ChipInputProps {
  readonly label: string;
  readonly values: readonly string[];
  readonly suggestions?: readonly string[];
  readonly placeholder?: string;
  readonly hint?: string;
  /** Commas separate values unless this is set (keywords may hold a comma-free phrase either way). */
  readonly allowComma?: boolean;
  readonly tone?: 'default' | 'any' | 'all' | 'none';
  readonly testId?: string;
  onChange(values: string[]): void;
}

export function ChipInput({ label, values, suggestions = [], placeholder, hint, allowComma = false, tone = 'default', testId, onChange }: ChipInputProps) {
  const ids = useId();
  const [text, setText] = useState('');

  const add = (raw: string): void => {
    const parts = (allowComma ? [raw] : raw.split(',')).map((p) => p.trim()).filter((p) => p !== '');
    const next = [...values];
    for (const part of parts) if (!next.some((v) => v.toLowerCase() === part.toLowerCase())) next.push(part);
    if (next.length !== values.length) onChange(next);
    setText('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter' || (event.key === ',' && !allowComma)) {
      event.preventDefault();
      add(text);
    } else if (event.key === 'Backspace' && text === '' && values.length > 0) {
      onChange(values.slice(0, -1));
    }
  };

  const hintId = hint === undefined ? undefined : `${ids}-hint`;
  return (
    <div className={`chip-input chip-input-${tone}`} data-testid={testId}>
      <label htmlFor={`${ids}-input`} className="field-label">
        {label}
      </label>
      <div className="chip-input-box">
        {values.length > 0 && (
          <ul className="chip-input-list" aria-label={label}>
            {values.map((value) => (
              <li key={value} className={`keyword-chip keyword-chip-${tone}`} data-testid="chip">
                <span className="keyword-chip-text">{value}</span>
                <button type="button" className="keyword-chip-remove" aria-label={`Remove ${value}`} onClick={() => onChange(values.filter((v) => v !== value))}>
                  <CloseIcon size={12} />
                </button>
              </li>
            ))}
          </ul>
        )}
        <input
          id={`${ids}-input`}
          type="text"
          className="chip-input-field"
          value={text}
          autoComplete="off"
          list={suggestions.length > 0 ? `${ids}-list` : undefined}
          placeholder={placeholder}
          aria-describedby={hintId}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => text.trim() !== '' && add(text)}
          data-testid={testId === undefined ? undefined : `${testId}-input`}
        />
        {suggestions.length > 0 && (
          <datalist id={`${ids}-list`}>
            {suggestions
              .filter((s) => !values.includes(s))
              .map((s) => (
                <option key={s} value={s} />
              ))}
          </datalist>
        )}
      </div>
      {hint !== undefined && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
