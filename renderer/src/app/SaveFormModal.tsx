/**
 * A dialog that edits one thing the desk keeps (an agent, a queue): Cancel and Save, the desk's
 * refusal in full above the fields, nothing saved until the desk says yes.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Modal } from '../calendar/Modal';
import { DeskCallError } from '../client/desk-client';
import { WarningIcon } from './icons';

export interface SaveFormModalProps {
  /** The test ids: `${name}-form`, `${name}-save`, `${name}-refusal`. */
  name: string;
  title: string;
  /** "Create agent" / "Save agent". */
  saveLabel: string;
  busy: boolean;
  refusal: string | null;
  onClose(): void;
  onSubmit(event: FormEvent<HTMLFormElement>): void;
  children: ReactNode;
}

export function SaveFormModal({ name, title, saveLabel, busy, refusal, onClose, onSubmit, children }: SaveFormModalProps) {
  const formId = `${useId()}-form`;
  return (
    <Modal
      open
      title={title}
      width="wide"
      busy={busy}
      testId={`${name}-form`}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button button-primary" disabled={busy} data-testid={`${name}-save`}>
            {busy ? 'Saving…' : saveLabel}
          </button>
        </>
      }
    >
      <form id={formId} className="form admin-form" onSubmit={onSubmit} noValidate>
        {refusal !== null && (
          <p className="inline-error" role="alert" data-testid={`${name}-refusal`}>
            <WarningIcon size={16} /> <span>Not saved. {refusal}</span>
          </p>
        )}
        {children}
      </form>
    </Modal>
  );
}

/** The dialog's state while it asks the desk to save: busy, and the desk's refusal in its own words. */
export function useDeskSave<T>(onSaved: (value: T) => void) {
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const save = (request: () => Promise<T>): void => {
    setBusy(true);
    setRefusal(null);
    request().then(
      (value) => {
        setBusy(false);
        onSaved(value);
      },
      (error: unknown) => {
        setBusy(false);
        setRefusal(error instanceof DeskCallError ? error.message : 'Something went wrong while asking the desk.');
      },
    );
  };
  return { busy, refusal, setRefusal, save };
}
