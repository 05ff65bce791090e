/**
 * The row at the bottom of an editor's save bar (Calendar, Rules): what is unsaved or when it was
 * saved, Discard and Save. The page keeps its own state; this only shows it.
 */
import { formatTime, type ZoneFormat } from './format';
import { CheckIcon } from './icons';

export interface SaveBarRowProps {
  /** The pages' test ids: `${name}-status`, `${name}-discard`, `${name}-save`. */
  name: string;
  saveLabel: string;
  dirty: boolean;
  saving: boolean;
  /** When the last save landed (desk time), or null. */
  savedAt: number | null;
  zone: ZoneFormat;
  onDiscard(): void;
  onSave(): void;
}

export function SaveBarRow({ name, saveLabel, dirty, saving, savedAt, zone, onDiscard, onSave }: SaveBarRowProps) {
  return (
    <div className="save-bar-row">
      <p className="save-status" role="status" data-testid={`${name}-status`}>
        {saving ? (
          'Saving…'
        ) : dirty ? (
          <>
            <span className="unsaved-dot" aria-hidden="true" /> Unsaved changes
          </>
        ) : savedAt !== null ? (
          <>
            <CheckIcon size={16} /> Saved at {formatTime(savedAt, zone)}
          </>
        ) : (
          'No unsaved changes'
        )}
      </p>
      <button type="button" className="button button-secondary" onClick={onDiscard} disabled={!dirty || saving} data-testid={`${name}-discard`}>
        Discard changes
      </button>
      <button type="button" className="button button-primary" onClick={onSave} disabled={!dirty || saving} data-testid={`${name}-save`}>
        {saving ? 'Saving…' : saveLabel}
      </button>
    </div>
  );
}
