/**
 * The emergency switch, in the header of every page. It never flips on a click alone: turning
 * it on opens a dialog with the message customers will get (editable) and the X public answer
 * it makes; turning it off asks too. The desk records who switched and when.
 */
import { useId, useRef, useState } from 'react';
import { DeskCallError } from '../client/desk-client';
import { fillTemplate, measure, answerLimit } from '../calendar/answers';
import { useCalendarStore, useCalendarView } from '../calendar/calendar-store';
import { Modal } from '../calendar/Modal';
import { useDeskClient, useDeskSnapshot } from '../state/hooks';
import { switchedWhen } from './EmergencyBanner';
import { formatDuration, zoneFormatOf } from './format';
import { SirenIcon, WarningIcon } from './icons';

const MAX_MESSAGE = 1000;

export function EmergencySwitch() {
  const client = useDeskClient();
  const store = useCalendarStore();
  const { view } = useCalendarView();
  const { status, clockOffsetMs } = useDeskSnapshot();
  const ids = useId();
  const messageRef = useRef<HTMLTextAreaElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const [dialog, setDialog] = useState<'on' | 'off' | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (status === null) return null;
  const emergency = view?.emergency ?? null;
  const on = emergency?.on ?? status.deskState.state === 'emergency';
  const zone = zoneFormatOf(status);
  const now = Date.now() + clockOffsetMs;

  const open = (): void => {
    setMessage(emergency?.message ?? '');
    setError(null);
    setDialog(on ? 'off' : 'on');
  };

  const confirm = (): void => {
    if (dialog === null || busy) return;
    setBusy(true);
    setError(null);
    client.setEmergency(dialog === 'on' ? { on: true, message: message.trim() } : { on: false }).then(
      (next) => {
        if (view !== null) store.accept({ calendar: view.calendar, emergency: next });
        setBusy(false);
        setDialog(null);
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure instanceof DeskCallError ? failure.message : 'Something went wrong while asking the desk.');
      },
    );
  };

  const template = view?.calendar.templates.emergency.x.public ?? null;
  const preview =
    template === null
      ? null
      : fillTemplate(template, {
          contact_name: 'Ana',
          desk_name: status.deskName,
          // During an emergency the desk has no reopening to promise.
          reopens_at: 'as soon as we can',
          emergency_message: message.trim(),
        });
  const limit = answerLimit('x', 'public');
  const previewLength = preview === null ? 0 : measure(preview, limit);
  const lastSwitch =
    emergency !== null && emergency.switchedAt !== null && emergency.switchedBy !== null
      ? `${emergency.on ? 'Switched on' : 'Last switched off'} by ${emergency.switchedBy} ${switchedWhen(emergency.switchedAt, now, zone)}.`
      : 'Emergency mode has not been used yet.';

  return (
    <>
      <button
        type="button"
        role="switch"
        aria-checked={on}
        aria-haspopup="dialog"
        aria-label="Emergency mode"
        className={`emergency-switch${on ? ' emergency-switch-on' : ''}`}
        onClick={open}
        data-testid="emergency-switch"
        title={on ? 'Emergency mode is on: every customer gets the emergency answer' : 'Switch on emergency mode'}
      >
        <span className="emergency-switch-track" aria-hidden="true">
          <span className="emergency-switch-thumb" />
        </span>
        <span className="emergency-switch-label">Emergency</span>
      </button>

      <Modal
        open={dialog === 'on'}
        title="Switch on emergency mode?"
        tone="danger"
        width="wide"
        busy={busy}
        initialFocus={messageRef}
        testId="emergency-dialog"
        onClose={() => setDialog(null)}
        actions={
          <>
            <button type="button" className="button button-secondary" onClick={() => setDialog(null)} disabled={busy}>
              Cancel
            </button>
            <button type="button" className="button button-emergency" onClick={confirm} disabled={busy} data-testid="emergency-confirm">
              <SirenIcon size={16} /> {busy ? 'Switching on…' : 'Switch on emergency mode'}
            </button>
          </>
        }
      >
        <p>
          Every customer who writes in — on X, Facebook or Messenger — gets the <strong>emergency answer</strong> instead of the usual one, whatever
          the hours, until someone switches it off. Their messages wait for an agent.
        </p>
        <div className="field">
          <label htmlFor={`${ids}-message`}>Emergency message</label>
          <textarea
            ref={messageRef}
            id={`${ids}-message`}
            className="textarea"
            rows={3}
            maxLength={MAX_MESSAGE}
            value={message}
            placeholder="For example: We are dealing with an outage and answers will take longer than usual."
            aria-describedby={`${ids}-message-hint`}
            onChange={(event) => setMessage(event.target.value)}
            data-testid="emergency-message"
          />
          <p className="field-hint" id={`${ids}-message-hint`}>
            The emergency answers include it where they say {'{emergency_message}'}. {MAX_MESSAGE - message.length} characters left.
          </p>
        </div>
        {preview !== null && (
          <div className="emergency-preview">
            <p className="emergency-preview-label">
              <span className="platform-badge platform-x">X</span> A public reply to a mention will read:
            </p>
            <p className="template-bubble" data-testid="emergency-preview">
              {preview}
            </p>
            <p className={`template-count${previewLength > limit.limit ? ' template-count-over' : ''}`}>
              About {previewLength} of {limit.limit} characters as X counts them, for a customer called Ana. Facebook and Messenger customers get
              their channel’s emergency answer.
            </p>
          </div>
        )}
        <p className="modal-note">{lastSwitch}</p>
        {error !== null && (
          <p className="inline-error" role="alert" data-testid="emergency-error">
            <WarningIcon size={16} /> {error}
          </p>
        )}
      </Modal>

      <Modal
        open={dialog === 'off'}
        title="Switch off emergency mode?"
        busy={busy}
        initialFocus={confirmRef}
        testId="emergency-off-dialog"
        onClose={() => setDialog(null)}
        actions={
          <>
            <button type="button" className="button button-secondary" onClick={() => setDialog(null)} disabled={busy}>
              Cancel
            </button>
            <button ref={confirmRef} type="button" className="button button-primary" onClick={confirm} disabled={busy} data-testid="emergency-confirm-off">
              {busy ? 'Switching off…' : 'Switch off emergency mode'}
            </button>
          </>
        }
      >
        {emergency !== null && emergency.switchedAt !== null && (
          <p>
            Switched on by <strong>{emergency.switchedBy ?? 'someone'}</strong> {switchedWhen(emergency.switchedAt, now, zone)} ({formatDuration(now - emergency.switchedAt)}{' '}
            ago).
          </p>
        )}
        {emergency !== null && emergency.message !== '' && (
          <blockquote className="emergency-quote">
            <span className="visually-hidden">Current message: </span>
            {emergency.message}
          </blockquote>
        )}
        <p>
          Customers get answers by the calendar again: the weekly hours and special days decide whether the desk is open, and messages that waited
          during the emergency go to agents when it is.
        </p>
        {error !== null && (
          <p className="inline-error" role="alert" data-testid="emergency-error">
            <WarningIcon size={16} /> {error}
          </p>
        )}
      </Modal>
    </>
  );
}
