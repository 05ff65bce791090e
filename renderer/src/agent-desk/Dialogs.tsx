/**
 * The Agent desk's dialogs: completion (a disposition code is required, a note is optional),
 * transfer (to a queue, an agent group or another agent), and the keyboard shortcuts.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { DispositionCode, MoveTarget, RoutingView } from '../../../electron/core/contract';
import { WarningIcon } from '../app/icons';
import { Modal } from '../calendar/Modal';

export function CompleteDialog({
  open,
  contactName,
  codes,
  codesError,
  onRetryCodes,
  onClose,
  onComplete,
}: {
  open: boolean;
  contactName: string;
  codes: DispositionCode[] | null;
  codesError: string | null;
  onRetryCodes: () => void;
  onClose: () => void;
  onComplete: (dispositionCodeId: number, note: string) => Promise<string | null>;
}) {
  const ids = useId();
  const [code, setCode] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const selectRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    if (open) {
      setCode('');
      setNote('');
      setError(null);
      setMissing(false);
    }
  }, [open]);

  const submit = async (): Promise<void> => {
    if (code === '') {
      setMissing(true);
      selectRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const problem = await onComplete(Number(code), note.trim());
    setBusy(false);
    if (problem !== null) setError(problem);
  };

  return (
    <Modal
      open={open}
      title="Complete the interaction"
      busy={busy}
      initialFocus={selectRef}
      testId="complete-dialog"
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form={`${ids}-form`} className="button button-primary" disabled={busy} data-testid="complete-confirm">
            {busy ? 'Completing…' : 'Complete'}
          </button>
        </>
      }
    >
      <form
        id={`${ids}-form`}
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <p className="modal-note">How did the conversation with {contactName} end? It leaves your desk and frees the slot it held.</p>
        <div className="field">
          <label htmlFor={`${ids}-code`}>
            Disposition code <span className="optional-tag">required</span>
          </label>
          <select
            id={`${ids}-code`}
            ref={selectRef}
            value={code}
            aria-required="true"
            aria-invalid={missing && code === '' ? true : undefined}
            aria-describedby={missing && code === '' ? `${ids}-code-error` : undefined}
            data-testid="disposition-select"
            onChange={(event) => {
              setCode(event.target.value);
              setMissing(false);
            }}
          >
            <option value="">{codes === null ? (codesError !== null ? 'Codes could not be read' : 'Reading codes…') : codes.length === 0 ? 'No codes defined yet' : 'Choose a code…'}</option>
            {codes?.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
          </select>
          {missing && code === '' && (
            <p className="field-error" id={`${ids}-code-error`} data-testid="disposition-missing">
              <WarningIcon size={14} /> Choose a disposition code: every completed interaction needs one for the reports.
            </p>
          )}
          {codesError !== null && codes === null && (
            <p className="field-error">
              <WarningIcon size={14} /> {codesError}{' '}
              <button type="button" className="text-button" onClick={onRetryCodes}>
                Try again
              </button>
            </p>
          )}
          {codes !== null && codes.length === 0 && <p className="field-hint">No disposition codes exist yet: a supervisor adds them (disposition codes administration).</p>}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-note`}>
            Note <span className="optional-tag">optional</span>
          </label>
          <textarea id={`${ids}-note`} className="textarea" rows={3} maxLength={1000} value={note} onChange={(event) => setNote(event.target.value)} data-testid="disposition-note" />
        </div>
        {error !== null && (
          <p className="inline-error" role="alert" data-testid="complete-error">
            <WarningIcon size={16} /> {error}
          </p>
        )}
      </form>
    </Modal>
  );
}

type TargetKind = 'queue' | 'group' | 'agent';

export function TransferDialog({
  open,
  routing,
  routingError,
  agentId,
  onClose,
  onTransfer,
}: {
  open: boolean;
  routing: RoutingView | null;
  routingError: string | null;
  agentId: number;
  onClose: () => void;
  onTransfer: (to: MoveTarget, label: string) => Promise<string | null>;
}) {
  const ids = useId();
  const [kind, setKind] = useState<TargetKind>('queue');
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (open) {
      setKind('queue');
      setChoice('');
      setError(null);
    }
  }, [open]);

  const options: { value: string; label: string; disabled?: boolean }[] =
    routing === null
      ? []
      : kind === 'queue'
        ? routing.queues.map((queue) => ({ value: String(queue.id), label: queue.name }))
        : kind === 'group'
          ? routing.groups.map((group) => ({ value: group, label: group }))
          : routing.agents
              .filter((agent) => agent.id !== agentId)
              .map((agent) => ({
                value: String(agent.id),
                label: `${agent.name} — ${agent.state.state === 'ready' ? 'ready' : agent.state.state === 'offline' ? 'offline' : `not ready (${agent.state.reason})`}`,
                // Straight to an agent needs them ready (with a free slot, which the desk checks).
                disabled: agent.state.state !== 'ready',
              }));

  const submit = async (): Promise<void> => {
    if (choice === '') {
      setError(`Choose ${kind === 'queue' ? 'a queue' : kind === 'group' ? 'an agent group' : 'an agent'} to transfer to.`);
      return;
    }
    const to: MoveTarget = kind === 'queue' ? { queueId: Number(choice) } : kind === 'group' ? { group: choice } : { agentId: Number(choice) };
    const label = options.find((option) => option.value === choice)?.label ?? choice;
    setBusy(true);
    setError(null);
    const problem = await onTransfer(to, label);
    setBusy(false);
    if (problem !== null) setError(problem);
  };

  return (
    <Modal
      open={open}
      title="Transfer the interaction"
      busy={busy}
      testId="transfer-dialog"
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form={`${ids}-form`} className="button button-primary" disabled={busy || routing === null} data-testid="transfer-confirm">
            {busy ? 'Transferring…' : 'Transfer'}
          </button>
        </>
      }
    >
      <form
        id={`${ids}-form`}
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <p className="modal-note">It leaves your desk and waits in the queue or group you choose, or goes straight to the agent (who must be ready with a free slot).</p>
        <fieldset className="field">
          <legend>Transfer to</legend>
          <div className="radio-row">
            {(['queue', 'group', 'agent'] as const).map((value) => (
              <label key={value} className="radio">
                <input
                  type="radio"
                  name={`${ids}-kind`}
                  value={value}
                  checked={kind === value}
                  onChange={() => {
                    setKind(value);
                    setChoice('');
                    setError(null);
                  }}
                />
                {value === 'queue' ? 'A queue' : value === 'group' ? 'An agent group' : 'Another agent'}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor={`${ids}-target`}>{kind === 'queue' ? 'Queue' : kind === 'group' ? 'Agent group' : 'Agent'}</label>
          <select id={`${ids}-target`} value={choice} onChange={(event) => setChoice(event.target.value)} data-testid="transfer-target">
            <option value="">{routing === null ? 'Reading…' : options.length === 0 ? 'None to choose from' : 'Choose…'}</option>
            {options.map((option) => (
              <option key={option.value} value={option.value} disabled={option.disabled}>
                {option.label}
              </option>
            ))}
          </select>
          {kind === 'agent' && <p className="field-hint">Only agents who are ready can take it straight away.</p>}
        </div>
        {routingError !== null && routing === null && (
          <p className="field-error">
            <WarningIcon size={14} /> {routingError}
          </p>
        )}
        {error !== null && (
          <p className="inline-error" role="alert" data-testid="transfer-error">
            <WarningIcon size={16} /> {error}
          </p>
        )}
      </form>
    </Modal>
  );
}

export const SHORTCUTS: readonly { keys: string[][]; what: string }[] = [
  { keys: [['J'], ['Alt', 'N']], what: 'Open the next interaction in your list (opening an offer accepts it)' },
  { keys: [['K'], ['Alt', 'P']], what: 'Open the previous interaction' },
  { keys: [['R']], what: 'Write a reply (puts the cursor in the composer)' },
  { keys: [['Ctrl', 'Enter']], what: 'Send the reply (in the composer)' },
  { keys: [['Alt', 'C']], what: 'Complete the open interaction (choose a disposition code)' },
  { keys: [['Alt', 'T']], what: 'Transfer the open interaction' },
  { keys: [['?']], what: 'Show these shortcuts' },
  { keys: [['Esc']], what: 'Close a dialog' },
];

export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      open={open}
      title="Keyboard shortcuts"
      testId="shortcut-help"
      initialFocus={closeRef}
      onClose={onClose}
      actions={
        <button type="button" ref={closeRef} className="button button-primary" onClick={onClose}>
          Close
        </button>
      }
    >
      <p className="modal-note">Letters work when the cursor is not in a text field; Alt and Ctrl shortcuts work everywhere on the Agent desk. Tab moves through everything.</p>
      <table className="table shortcut-table">
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Does</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.what}>
              <td className="nowrap">
                {shortcut.keys.map((combo, i) => (
                  <span key={i}>
                    {i > 0 && <span className="muted"> or </span>}
                    {combo.map((key, j) => (
                      <span key={key}>
                        {j > 0 && '+'}
                        <kbd>{key}</kbd>
                      </span>
                    ))}
                  </span>
                ))}
              </td>
              <td>{shortcut.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
