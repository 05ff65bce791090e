/**
 * Holidays from an iCal (.ics) file: the file is read here, the desk parses it (previewIcs,
 * nothing saved) and says which special days it would add, which it skipped and why; "Add N
 * days" puts them into the draft. A malformed file is refused with the line that is wrong.
 */
import { useId, useRef, useState } from 'react';
import { DeskCallError } from '../client/desk-client';
import { CheckIcon, InfoIcon, WarningIcon } from '../app/icons';
import { useDeskClient } from '../state/hooks';
import { specialDayDate, specialDayKey, type SpecialDay } from './model';

export type IcsState =
  | { kind: 'idle' }
  | { kind: 'reading'; fileName: string }
  | { kind: 'failed'; fileName: string; message: string }
  | { kind: 'preview'; fileName: string; added: SpecialDay[]; skipped: string[]; warnings: string[] };

/** Files larger than this are not read at all (the desk refuses above 2 MB of text). */
const MAX_FILE_BYTES = 2_000_000;

export function useIcsImport(draftDays: readonly SpecialDay[]) {
  const client = useDeskClient();
  const [state, setState] = useState<IcsState>({ kind: 'idle' });
  const generation = useRef(0);

  const choose = (file: File): void => {
    const mine = ++generation.current;
    if (file.size > MAX_FILE_BYTES) {
      setState({ kind: 'failed', fileName: file.name, message: 'The file is larger than 2 MB; a holiday calendar is far smaller. Is it the right file?' });
      return;
    }
    setState({ kind: 'reading', fileName: file.name });
    file
      .text()
      .then((text) => client.previewIcs({ text }))
      .then(
        (preview) => {
          if (mine !== generation.current) return;
          // The desk compared with the saved calendar; the draft may hold more days already.
          const taken = new Map(draftDays.map((day) => [specialDayKey(day), day]));
          const added: SpecialDay[] = [];
          const skipped = [...preview.skipped];
          for (const day of preview.added) {
            const other = taken.get(specialDayKey(day));
            if (other === undefined) {
              added.push(day);
              taken.set(specialDayKey(day), day);
            } else {
              skipped.push(`${specialDayDate(day)} (${day.name}) is already a special day in this calendar (${other.name})`);
            }
          }
          setState({ kind: 'preview', fileName: file.name, added, skipped, warnings: preview.warnings });
        },
        (error: unknown) => {
          if (mine !== generation.current) return;
          setState({
            kind: 'failed',
            fileName: file.name,
            message: error instanceof DeskCallError ? error.message : 'The file could not be read.',
          });
        },
      );
  };

  const clear = (): void => {
    generation.current++;
    setState({ kind: 'idle' });
  };

  return { state, choose, clear };
}

/** The "Import .ics…" button: a real file input, visually a button. */
export function IcsFileButton({ busy, onFile }: { busy: boolean; onFile(file: File): void }) {
  const ids = useId();
  return (
    <span className="file-button">
      <input
        id={`${ids}-file`}
        type="file"
        accept=".ics,text/calendar"
        className="file-button-input"
        data-testid="ics-file"
        disabled={busy}
        onChange={(event) => {
          const file = event.target.files?.[0];
          // Cleared so choosing the same file again (after fixing it) reads it again.
          event.target.value = '';
          if (file !== undefined) onFile(file);
        }}
      />
      <label htmlFor={`${ids}-file`} className="button button-secondary">
        {busy ? 'Reading…' : 'Import .ics…'}
      </label>
    </span>
  );
}

export function IcsPreviewPanel({ state, onAdd, onClose }: { state: IcsState; onAdd(days: SpecialDay[]): void; onClose(): void }) {
  const ids = useId();
  if (state.kind === 'idle') return null;
  if (state.kind === 'reading') {
    return (
      <p className="muted ics-panel" role="status">
        Reading {state.fileName}…
      </p>
    );
  }
  if (state.kind === 'failed') {
    return (
      <div className="inline-error ics-error" role="alert" data-testid="ics-error">
        <WarningIcon size={16} />
        <div>
          <p>
            <strong>{state.fileName} was not imported.</strong> {state.message}
          </p>
          <button type="button" className="button button-secondary button-small" onClick={onClose}>
            Dismiss
          </button>
        </div>
      </div>
    );
  }
  const count = state.added.length;
  return (
    <section className="ics-panel" aria-labelledby={`${ids}-title`} data-testid="ics-preview">
      <div className="ics-panel-head">
        <h3 id={`${ids}-title`} className="ics-panel-title">
          Import from {state.fileName}
        </h3>
        <p className="muted">
          {count === 0 ? 'Nothing new to add.' : `${count} ${count === 1 ? 'day' : 'days'} to add, each closed all day.`} Nothing is saved until you
          save the calendar.
        </p>
      </div>
      {count > 0 && (
        <div className="table-scroll ics-table">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Repeats</th>
                <th scope="col">Name</th>
              </tr>
            </thead>
            <tbody>
              {state.added.map((day) => (
                <tr key={specialDayKey(day)}>
                  <td className="nowrap">{specialDayDate(day)}</td>
                  <td>{day.recurrence === 'yearly' ? 'Every year' : 'Once'}</td>
                  <td>{day.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {state.warnings.length > 0 && (
        <div className="ics-notes ics-warnings">
          <p className="ics-notes-title">
            <WarningIcon size={16} /> {state.warnings.length === 1 ? '1 warning' : `${state.warnings.length} warnings`}
          </p>
          <ul>
            {state.warnings.map((warning, i) => (
              <li key={i}>{warning}</li>
            ))}
          </ul>
        </div>
      )}
      {state.skipped.length > 0 && (
        <div className="ics-notes">
          <p className="ics-notes-title">
            <InfoIcon size={16} /> Skipped {state.skipped.length === 1 ? '1 day' : `${state.skipped.length} days`}
          </p>
          <ul>
            {state.skipped.map((text, i) => (
              <li key={i}>{text}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="ics-actions">
        {count > 0 && (
          <button type="button" className="button button-primary" onClick={() => onAdd(state.added)} data-testid="ics-add">
            <CheckIcon size={16} /> Add {count} {count === 1 ? 'day' : 'days'}
          </button>
        )}
        <button type="button" className="button button-secondary" onClick={onClose}>
          {count > 0 ? 'Cancel' : 'Close'}
        </button>
      </div>
    </section>
  );
}
