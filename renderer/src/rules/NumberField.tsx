/**
 * A number input that keeps what is typed ("0.", "-", "") while the draft holds a number (NaN
 * for an empty or unreadable field, which the desk then refuses by name).
 */
import { useEffect, useState, type InputHTMLAttributes } from 'react';
import { fieldText, numberFrom } from './model';

export interface NumberFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> {
  readonly value: number;
  onValue(value: number): void;
}

export function NumberField({ value, onValue, className, ...rest }: NumberFieldProps) {
  const [text, setText] = useState(() => fieldText(value));
  useEffect(() => {
    // A change from outside (reorder, discard): show it, unless it is what the text already says.
    if (!Object.is(numberFrom(text), value) && !(Number.isNaN(value) && Number.isNaN(numberFrom(text)))) setText(fieldText(value));
    // Only the value from outside matters here.
  }, [value]);
  return (
    <input
      {...rest}
      type="number"
      className={className ?? 'number-input'}
      value={text}
      onChange={(event) => {
        setText(event.target.value);
        onValue(numberFrom(event.target.value));
      }}
    />
  );
}
