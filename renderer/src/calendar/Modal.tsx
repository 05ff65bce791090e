/**
 * A modal dialog on the native <dialog>: showModal() makes the rest of the page inert (the
 * focus stays inside), Escape cancels, and focus goes back to where it was on close.
 */
import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';
import { CloseIcon } from '../app/icons';

export interface ModalProps {
  readonly open: boolean;
  readonly title: string;
  readonly children: ReactNode;
  /** The buttons, right-aligned; a leading element (a "Delete") may go first. */
  readonly actions: ReactNode;
  readonly tone?: 'default' | 'danger';
  readonly width?: 'narrow' | 'wide';
  /** Where focus starts; otherwise the first field. */
  readonly initialFocus?: RefObject<HTMLElement | null>;
  /** Escape and the close button are refused while busy. */
  readonly busy?: boolean;
  readonly testId?: string;
  onClose(): void;
}

export function Modal({ open, title, children, actions, tone = 'default', width = 'narrow', initialFocus, busy = false, testId, onClose }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const ids = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      const target = initialFocus?.current ?? dialog.querySelector<HTMLElement>('.modal-body :is(input, textarea, select, button):not([disabled])');
      target?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
      const back = returnTo.current;
      returnTo.current = null;
      if (back !== null && back.isConnected) back.focus();
    }
  }, [open, initialFocus]);

  // Unmounted while open (the page changed): give focus back all the same.
  useEffect(
    () => () => {
      const back = returnTo.current;
      if (back !== null && back.isConnected) back.focus();
    },
    [],
  );

  return (
    <dialog
      ref={ref}
      className={`modal modal-${width}${tone === 'danger' ? ' modal-danger' : ''}`}
      aria-modal="true"
      aria-labelledby={`${ids}-title`}
      data-testid={testId}
      onCancel={(event) => {
        // Escape: close through React state, so the dialog and the state never disagree.
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      {open && (
        <>
          <div className="modal-header">
            <h2 id={`${ids}-title`} className="modal-title">
              {title}
            </h2>
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose} disabled={busy}>
              <CloseIcon size={18} />
            </button>
          </div>
          <div className="modal-body">{children}</div>
          <div className="modal-actions">{actions}</div>
        </>
      )}
    </dialog>
  );
}
