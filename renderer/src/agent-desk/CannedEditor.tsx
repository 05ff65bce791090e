/**
 * Managing canned responses: title and text with placeholders, added, changed, removed, saved
 * as one list (the desk checks all of it and says what is wrong).
 */
import { useEffect, useId, useState } from 'react';
import { CANNED_PLACEHOLDERS, fillCannedResponse, type CannedResponse } from '../../../electron/core/contract';
import { TrashIcon, WarningIcon } from '../app/icons';
import { Modal } from '../calendar/Modal';
import { useDeskClient } from '../state/hooks';
import { errorText } from './data';

interface Row {
  key: number;
  id: string | null;
  title: string;
  text: string;
}

const PLACEHOLDER_HELP: Record<(typeof CANNED_PLACEHOLDERS)[number], string> = {
  contact_name: 'the customer’s name',
  handle: 'their handle on the platform (@name)',
  agent_name: 'your name',
  desk_name: 'this desk’s name',
};

function slug(title: string, taken: ReadonlySet<string>): string {
  const base =
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 56) || 'response';
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

let nextKey = 1;

export function CannedEditor({
  open,
  items,
  sample,
  onClose,
  onSaved,
}: {
  open: boolean;
  items: CannedResponse[] | null;
  sample: Partial<Record<(typeof CANNED_PLACEHOLDERS)[number], string | null>>;
  onClose: () => void;
  onSaved: (items: CannedResponse[]) => void;
}) {
  const client = useDeskClient();
  const ids = useId();
  const [rows, setRows] = useState<Row[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setRows((items ?? []).map((item) => ({ key: nextKey++, id: item.id, title: item.title, text: item.text })));
    setError(null);
  }, [open, items]);

  const edit = (key: number, patch: Partial<Row>): void => setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  const save = async (): Promise<void> => {
    const blank = rows.findIndex((row) => row.title.trim() === '' || row.text.trim() === '');
    if (blank !== -1) {
      setError(`Response ${blank + 1} needs a title and a text.`);
      return;
    }
    const taken = new Set(rows.flatMap((row) => (row.id === null ? [] : [row.id])));
    const list: CannedResponse[] = rows.map((row) => {
      if (row.id !== null) return { id: row.id, title: row.title.trim(), text: row.text.trim() };
      const id = slug(row.title, taken);
      taken.add(id);
      return { id, title: row.title.trim(), text: row.text.trim() };
    });
    setBusy(true);
    setError(null);
    try {
      const saved = await client.saveCannedResponses({ items: list });
      onSaved(saved.items);
      onClose();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title="Canned responses"
      width="wide"
      busy={busy}
      testId="canned-editor"
      onClose={onClose}
      actions={
        <>
          <button
            type="button"
            className="button button-secondary button-delete-left"
            disabled={busy}
            onClick={() => setRows((current) => [...current, { key: nextKey++, id: null, title: '', text: '' }])}
            data-testid="canned-add"
          >
            Add a response
          </button>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button button-primary" onClick={() => void save()} disabled={busy} data-testid="canned-save">
            {busy ? 'Saving…' : 'Save responses'}
          </button>
        </>
      }
    >
      <div className="placeholder-list">
        <span>Placeholders:</span>
        {CANNED_PLACEHOLDERS.map((name) => (
          <span key={name} className="placeholder" title={PLACEHOLDER_HELP[name]}>
            {`{${name}}`}
          </span>
        ))}
      </div>
      <p className="modal-note">Every agent at the desk shares these. Placeholders are filled when a response is inserted; one with nothing to fill stays as written.</p>
      {rows.length === 0 && <p className="muted">No canned responses yet. Add one for answers you give often.</p>}
      <ol className="canned-rows">
        {rows.map((row, index) => (
          <li key={row.key} className="canned-row" data-testid="canned-row">
            <div className="canned-row-fields">
              <div className="field">
                <label htmlFor={`${ids}-${row.key}-title`}>Title {index + 1}</label>
                <input id={`${ids}-${row.key}-title`} type="text" maxLength={80} value={row.title} onChange={(event) => edit(row.key, { title: event.target.value })} />
              </div>
              <div className="field">
                <label htmlFor={`${ids}-${row.key}-text`}>Text</label>
                <textarea id={`${ids}-${row.key}-text`} className="textarea" rows={3} maxLength={2000} value={row.text} onChange={(event) => edit(row.key, { text: event.target.value })} />
              </div>
              {row.text.trim() !== '' && (
                <p className="canned-preview">
                  <span className="canned-preview-label">Reads:</span> {fillCannedResponse(row.text, sample)}
                </p>
              )}
            </div>
            <button type="button" className="icon-button" aria-label={`Remove ${row.title.trim() === '' ? `response ${index + 1}` : row.title}`} onClick={() => setRows((current) => current.filter((r) => r.key !== row.key))}>
              <TrashIcon size={16} />
            </button>
          </li>
        ))}
      </ol>
      {error !== null && (
        <p className="inline-error" role="alert" data-testid="canned-error">
          <WarningIcon size={16} /> {error}
        </p>
      )}
    </Modal>
  );
}
