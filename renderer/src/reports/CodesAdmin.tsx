/**
 * Disposition codes administration: add, rename, retire and bring back. Retired codes stay in
 * old reports and are no longer offered when an agent completes an interaction. The desk checks
 * every name (empty, already taken in any case) and its message is shown as it comes.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { DispositionCode } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { CheckIcon, PencilIcon, PlusIcon, UndoIcon, WarningIcon } from '../app/icons';
import { useDeskClient } from '../state/hooks';

function messageOf(error: unknown): string {
  return error instanceof DeskCallError ? error.message : 'Something went wrong while asking the desk.';
}

export function CodesAdmin({ codes, onChanged }: { codes: readonly DispositionCode[] | null; onChanged: (code: DispositionCode) => void }) {
  const client = useDeskClient();
  const ids = useId();
  const [name, setName] = useState('');
  const [editing, setEditing] = useState<{ id: number; name: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    if (done === null) return;
    const timer = setTimeout(() => setDone(null), 4000);
    return () => clearTimeout(timer);
  }, [done]);

  async function run(work: () => Promise<DispositionCode>, said: (code: DispositionCode) => string): Promise<boolean> {
    setBusy(true);
    setProblem(null);
    try {
      const code = await work();
      onChanged(code);
      setDone(said(code));
      return true;
    } catch (error) {
      setProblem(messageOf(error));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    if (await run(() => client.saveDispositionCode({ name }), (code) => `Added “${code.name}”.`)) setName('');
  }

  async function rename(event: FormEvent) {
    event.preventDefault();
    if (editing === null) return;
    const target = editing;
    if (await run(() => client.saveDispositionCode({ id: target.id, name: target.name }), (code) => `Renamed to “${code.name}”.`)) setEditing(null);
  }

  const active = (codes ?? []).filter((code) => !code.retired);
  const retired = (codes ?? []).filter((code) => code.retired);

  const row = (code: DispositionCode) => (
    <li key={code.id} className={`code-row${code.retired ? ' code-row-retired' : ''}`} data-testid="code-row">
      {editing?.id === code.id ? (
        <form className="code-rename" onSubmit={rename}>
          <label className="visually-hidden" htmlFor={`${ids}-rename-${code.id}`}>
            New name for {code.name}
          </label>
          <input
            id={`${ids}-rename-${code.id}`}
            type="text"
            value={editing.name}
            maxLength={60}
            autoFocus
            onChange={(event) => setEditing({ id: code.id, name: event.target.value })}
            onKeyDown={(event) => {
              if (event.key === 'Escape') setEditing(null);
            }}
          />
          <button type="submit" className="button button-primary button-small" disabled={busy}>
            Save
          </button>
          <button type="button" className="button button-ghost button-small" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          <span className="code-name">{code.name}</span>
          {code.retired && <span className="badge badge-neutral">Retired</span>}
          <span className="code-actions">
            <button type="button" className="button button-ghost button-small" disabled={busy} onClick={() => setEditing({ id: code.id, name: code.name })} aria-label={`Rename ${code.name}`}>
              <PencilIcon size={14} /> Rename
            </button>
            {code.retired ? (
              <button
                type="button"
                className="button button-ghost button-small"
                disabled={busy}
                aria-label={`Bring back ${code.name}`}
                onClick={() => void run(() => client.retireDispositionCode({ id: code.id, retired: false }), (c) => `“${c.name}” can be chosen again.`)}
              >
                <UndoIcon size={14} /> Bring back
              </button>
            ) : (
              <button
                type="button"
                className="button button-ghost button-small"
                disabled={busy}
                aria-label={`Retire ${code.name}`}
                onClick={() => void run(() => client.retireDispositionCode({ id: code.id, retired: true }), (c) => `“${c.name}” is retired: it stays in old reports.`)}
              >
                Retire
              </button>
            )}
          </span>
        </>
      )}
    </li>
  );

  return (
    <div className="codes-admin" data-testid="codes-admin">
      <form className="code-add" onSubmit={add}>
        <div className="field">
          <label htmlFor={`${ids}-new`}>New code</label>
          <div className="code-add-row">
            <input id={`${ids}-new`} type="text" value={name} maxLength={60} placeholder="For example: Refund issued" onChange={(event) => setName(event.target.value)} />
            <button type="submit" className="button button-secondary" disabled={busy}>
              <PlusIcon size={16} /> Add
            </button>
          </div>
        </div>
      </form>
      <div aria-live="polite" className="code-status">
        {problem !== null && (
          <p className="inline-error" role="alert">
            <WarningIcon size={16} /> {problem}
          </p>
        )}
        {done !== null && problem === null && (
          <p className="form-status">
            <CheckIcon size={16} /> {done}
          </p>
        )}
      </div>
      {codes === null ? (
        <p className="muted">Reading the codes…</p>
      ) : (
        <div className="code-lists">
          <div>
            <h3 className="code-list-title">In use ({active.length})</h3>
            {active.length === 0 ? <p className="muted">No code can be chosen: add one, or bring one back.</p> : <ul className="code-list">{active.map(row)}</ul>}
          </div>
          {retired.length > 0 && (
            <div>
              <h3 className="code-list-title">Retired ({retired.length})</h3>
              <ul className="code-list">{retired.map(row)}</ul>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
