/**
 * Settings: the desk-wide settings form, where the desk keeps its data, the accounts the
 * connectors use, and the audit log.
 * The desk validates and may refuse; its message is shown as it was given.
 */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { AuditEntry, DeskStatus, JsonValue, Settings } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { formatDateTime, isoInstant, zoneFormatOf, zoneLabel, type ZoneFormat } from '../app/format';
import { CheckIcon, DatabaseIcon, HistoryIcon, KeyIcon, SettingsIcon, WarningIcon } from '../app/icons';
import { useDeskClient, useDeskEvents, useDeskSnapshot } from '../state/hooks';
import { AccountsSettings } from './AccountsSettings';
import { pageInfo } from './catalog';
import { PageHeader } from './PageHeader';
import { timeZoneGroups } from '../calendar/zones';

const settingKeys = ['deskName', 'timeZone', 'timeFormat', 'backfillHours', 'xStream', 'offerTimeoutSeconds'] as const satisfies readonly (keyof Settings)[];

/** The form's copy of the settings: the hours stay as typed until they are sent. */
type Draft = Omit<Settings, 'backfillHours'> & { backfillHours: string };

function toDraft(settings: Settings): Draft {
  return { ...settings, backfillHours: String(settings.backfillHours) };
}

function draftValue(draft: Draft, key: keyof Settings): Settings[keyof Settings] | string {
  return key === 'backfillHours' ? draft.backfillHours.trim() : draft[key];
}

function savedValue(saved: Settings, key: keyof Settings): Settings[keyof Settings] | string {
  return key === 'backfillHours' ? String(saved.backfillHours) : saved[key];
}

function errorText(error: unknown): string {
  return error instanceof DeskCallError ? error.message : 'Something went wrong while asking the desk.';
}

// ---------------------------------------------------------------------------------------------
// The form

type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: number }
  | { kind: 'refused'; message: string; field: keyof Settings | null };

function fieldNamedIn(message: string): keyof Settings | null {
  return settingKeys.find((key) => new RegExp(`\\b${key}\\b`).test(message)) ?? null;
}

const fieldLabels: Record<keyof Settings, string> = {
  deskName: 'Desk name',
  timeZone: 'Time zone',
  timeFormat: 'Time format',
  backfillHours: 'How far back to fetch on first connection',
  xStream: 'Use X’s filtered stream',
  offerTimeoutSeconds: 'Time to accept offered work',
};

/** Offer timeouts a supervisor picks from (seconds); the desk accepts any whole number from 15 to 3600. */
const OFFER_TIMEOUTS = [30, 60, 120, 300, 600] as const;
const offerTimeoutLabel = (seconds: number) => (seconds < 60 ? `${seconds} seconds` : seconds === 60 ? '1 minute' : `${seconds / 60} minutes`);

/**
 * The desk words refusals for every client ("updateSettings: deskName must not be empty");
 * next to the form, the field's label reads better than its API name. Nothing else changes.
 */
function readableRefusal(message: string): string {
  let text = message.replace(/^updateSettings: /, '');
  for (const key of settingKeys) text = text.replace(new RegExp(`\\b${key}\\b`, 'g'), fieldLabels[key]);
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function SettingsForm({ zone }: { zone: ZoneFormat }) {
  const client = useDeskClient();
  const [saved, setSaved] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const ids = useId();

  useEffect(() => {
    let current = true;
    client.getSettings({}).then(
      (settings) => {
        if (!current) return;
        setSaved(settings);
        setDraft(toDraft(settings));
      },
      (error: unknown) => current && setLoadError(errorText(error)),
    );
    return () => {
      current = false;
    };
  }, [client]);

  const dirty = saved !== null && draft !== null && settingKeys.some((key) => savedValue(saved, key) !== draftValue(draft, key));

  // Someone else saved (another window, the API): follow along unless this form has unsaved edits.
  useDeskEvents((events) => {
    for (const event of events) {
      if (event.type !== 'settingsChanged') continue;
      setSaved(event.payload);
      if (!dirty) setDraft(toDraft(event.payload));
    }
  });

  const zoneGroups = useMemo(() => timeZoneGroups(draft?.timeZone ?? 'UTC'), [draft?.timeZone]);

  if (loadError !== null) {
    return (
      <p className="inline-error" role="alert">
        <WarningIcon size={16} /> Could not read the settings: {loadError}
      </p>
    );
  }
  if (saved === null || draft === null) return <p className="muted">Loading settings…</p>;

  const edit = (patch: Partial<Draft>): void => {
    setDraft({ ...draft, ...patch });
    if (save.kind === 'saved' || save.kind === 'refused') setSave({ kind: 'idle' });
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (!dirty || save.kind === 'saving') return;
    const patch: Partial<Settings> = {};
    for (const key of settingKeys) {
      if (draftValue(draft, key) === savedValue(saved, key)) continue;
      if (key === 'backfillHours') {
        const hours = draft.backfillHours.trim();
        // Only whole numbers go to the desk; it judges the range and says so in its own words.
        if (!/^-?\d{1,9}$/.test(hours)) {
          setSave({ kind: 'refused', message: `${fieldLabels.backfillHours} must be a whole number of hours, from 0 to 720.`, field: 'backfillHours' });
          return;
        }
        patch.backfillHours = Number(hours);
      } else {
        Object.assign(patch, { [key]: draft[key] });
      }
    }
    setSave({ kind: 'saving' });
    client.updateSettings(patch).then(
      (result) => {
        setSaved(result);
        setDraft(toDraft(result));
        setSave({ kind: 'saved', at: Date.now() });
      },
      (error: unknown) => {
        const message = errorText(error);
        setSave({ kind: 'refused', message: readableRefusal(message), field: fieldNamedIn(message) });
      },
    );
  };

  const refusedField = save.kind === 'refused' ? save.field : null;
  const fieldError = (key: keyof Settings) =>
    save.kind === 'refused' && refusedField === key ? (
      <p className="field-error" id={`${ids}-${key}-error`} role="alert" data-testid="settings-error">
        <WarningIcon size={15} /> {save.message}
      </p>
    ) : null;
  const describedBy = (key: keyof Settings) =>
    [`${ids}-${key}-hint`, refusedField === key ? `${ids}-${key}-error` : ''].filter(Boolean).join(' ');

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Desk settings">
      <div className="field">
        <label htmlFor={`${ids}-deskName`}>Desk name</label>
        <input
          id={`${ids}-deskName`}
          name="deskName"
          type="text"
          autoComplete="off"
          value={draft.deskName}
          aria-invalid={refusedField === 'deskName'}
          aria-describedby={describedBy('deskName')}
          onChange={(event) => edit({ deskName: event.target.value })}
        />
        <p className="field-hint" id={`${ids}-deskName-hint`}>
          Shown in the header of every console window. Up to 60 characters.
        </p>
        {fieldError('deskName')}
      </div>

      <div className="field">
        <label htmlFor={`${ids}-timeZone`}>Time zone</label>
        <select
          id={`${ids}-timeZone`}
          name="timeZone"
          value={draft.timeZone}
          aria-invalid={refusedField === 'timeZone'}
          aria-describedby={describedBy('timeZone')}
          onChange={(event) => edit({ timeZone: event.target.value })}
        >
          {zoneGroups.map((group) => (
            <optgroup key={group.region} label={group.region}>
              {group.zones.map((zoneName) => (
                <option key={zoneName} value={zoneName}>
                  {zoneName.replaceAll('_', ' ')}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <p className="field-hint" id={`${ids}-timeZone-hint`}>
          Operating hours, special days and every time shown in the console use this zone. Now:{' '}
          {zoneLabel(draft.timeZone)}.
        </p>
        {fieldError('timeZone')}
      </div>

      <fieldset className="field" aria-describedby={`${ids}-timeFormat-hint`}>
        <legend>Time format</legend>
        <div className="radio-row">
          {(['24h', '12h'] as const).map((format) => (
            <label key={format} className="radio">
              <input
                type="radio"
                name="timeFormat"
                value={format}
                checked={draft.timeFormat === format}
                onChange={() => edit({ timeFormat: format })}
              />
              <span>
                {format === '24h' ? '24-hour' : '12-hour'}
                <span className="radio-example">{format === '24h' ? '14:30' : '2:30 pm'}</span>
              </span>
            </label>
          ))}
        </div>
        <p className="field-hint" id={`${ids}-timeFormat-hint`}>
          How clocks and timestamps are written for everyone at this desk.
        </p>
        {fieldError('timeFormat')}
      </fieldset>

      <div className="field">
        <label htmlFor={`${ids}-backfillHours`}>{fieldLabels.backfillHours}</label>
        <div className="input-with-unit">
          <input
            id={`${ids}-backfillHours`}
            name="backfillHours"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            className="input-narrow"
            value={draft.backfillHours}
            aria-invalid={refusedField === 'backfillHours'}
            aria-describedby={describedBy('backfillHours')}
            onChange={(event) => edit({ backfillHours: event.target.value })}
          />
          <span className="input-unit">hours</span>
        </div>
        <p className="field-hint" id={`${ids}-backfillHours-hint`}>
          When a connector first connects to an account, it also fetches what arrived this many hours before. 0 to 720 (30
          days); 0 fetches nothing from before.
        </p>
        {fieldError('backfillHours')}
      </div>

      <div className="field">
        <label className="checkbox">
          <input
            type="checkbox"
            name="xStream"
            checked={draft.xStream}
            aria-describedby={describedBy('xStream')}
            onChange={(event) => edit({ xStream: event.target.checked })}
          />
          <span>{fieldLabels.xStream}</span>
        </label>
        <p className="field-hint" id={`${ids}-xStream-hint`}>
          Mentions and replies arrive within seconds instead of at each poll. Needs the X account’s bearer token and an API
          tier that includes the filtered stream; without them the desk keeps polling.
        </p>
        {fieldError('xStream')}
      </div>

      <div className="field">
        <label htmlFor={`${ids}-offerTimeoutSeconds`}>{fieldLabels.offerTimeoutSeconds}</label>
        <select
          id={`${ids}-offerTimeoutSeconds`}
          name="offerTimeoutSeconds"
          className="input-narrow"
          value={draft.offerTimeoutSeconds}
          aria-describedby={describedBy('offerTimeoutSeconds')}
          onChange={(event) => edit({ offerTimeoutSeconds: Number(event.target.value) })}
        >
          {[...new Set([...OFFER_TIMEOUTS, draft.offerTimeoutSeconds])]
            .sort((a, b) => a - b)
            .map((seconds) => (
              <option key={seconds} value={seconds}>
                {offerTimeoutLabel(seconds)}
              </option>
            ))}
        </select>
        <p className="field-hint" id={`${ids}-offerTimeoutSeconds-hint`}>
          Work offered to an agent who does not accept it in this time goes back to the front of its queue, and the agent
          is set to not ready so it does not bounce back to an empty chair.
        </p>
        {fieldError('offerTimeoutSeconds')}
      </div>

      {save.kind === 'refused' && refusedField === null && (
        <p className="inline-error" role="alert" data-testid="settings-error">
          <WarningIcon size={16} /> {save.message}
        </p>
      )}

      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={!dirty || save.kind === 'saving'}>
          {save.kind === 'saving' ? 'Saving…' : 'Save changes'}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={!dirty || save.kind === 'saving'}
          onClick={() => {
            setDraft(toDraft(saved));
            setSave({ kind: 'idle' });
          }}
        >
          Discard
        </button>
        <p className="form-status" role="status" data-testid="settings-status">
          {save.kind === 'saved' && (
            <>
              <CheckIcon size={16} /> Saved at {formatDateTime(save.at, zone)}.
            </>
          )}
          {save.kind === 'idle' && dirty && 'Unsaved changes'}
        </p>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Where data lives

function DataLocation({ status, zone }: { status: DeskStatus; zone: ZoneFormat }) {
  return (
    <dl className="facts">
      <div>
        <dt>Data folder</dt>
        <dd>
          <code className="path" data-testid="data-dir">
            {status.store.dataDir}
          </code>
        </dd>
      </div>
      <div>
        <dt>Database schema</dt>
        <dd>Version {status.store.schemaVersion}</dd>
      </div>
      <div>
        <dt>Desk version</dt>
        <dd>{status.version}</dd>
      </div>
      <div>
        <dt>Running since</dt>
        <dd>
          <time dateTime={isoInstant(status.startedAt)}>{formatDateTime(status.startedAt, zone)}</time>
        </dd>
      </div>
      <div>
        <dt>Network</dt>
        <dd>
          {status.network.mode === 'sandbox' ? 'Sandbox (simulated network)' : 'Live platforms'}
          {status.network.reason !== '' && <span className="facts-note">{status.network.reason}</span>}
        </dd>
      </div>
    </dl>
  );
}

// ---------------------------------------------------------------------------------------------
// Audit log

/** Audit entries name settings by their API keys; people read the form's labels. */
function labelFor(key: string): string {
  if ((settingKeys as readonly string[]).includes(key)) return fieldLabels[key as keyof Settings];
  // Other details are camelCase keys ("identitiesMoved"): written out as words, they read fine.
  if (!/^[a-z]+(?:[A-Z][a-z]*)+$/.test(key)) return key;
  const words = key.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function renderSubject(subject: string | null): string {
  if (subject === null) return '—';
  return subject
    .split(', ')
    .map((part) => labelFor(part))
    .join(', ');
}

function renderValue(value: JsonValue): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'string') return value === '' ? '“”' : value;
  return JSON.stringify(value);
}

/** Audit details are free-form JSON; show the common "from → to" shapes readably, anything else as key: value. */
function detailLines(detail: AuditEntry['detail']): string[] {
  if (detail === null) return [];
  const lines: string[] = [];
  // { from: {...}, to: {...} } (what settings.updated writes) or { before, after }.
  const pairs: [string, string][] = [
    ['from', 'to'],
    ['before', 'after'],
  ];
  const paired = new Set<string>();
  for (const [oldKey, newKey] of pairs) {
    const before = detail[oldKey];
    const after = detail[newKey];
    if (!isRecord(before) || !isRecord(after)) continue;
    paired.add(oldKey).add(newKey);
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const from = before[key] ?? null;
      const to = after[key] ?? null;
      if (JSON.stringify(from) !== JSON.stringify(to)) lines.push(`${labelFor(key)}: ${renderValue(from)} → ${renderValue(to)}`);
    }
  }
  for (const [key, value] of Object.entries(detail)) {
    if (paired.has(key)) continue;
    if (isRecord(value) && 'from' in value && 'to' in value) {
      lines.push(`${labelFor(key)}: ${renderValue(value.from ?? null)} → ${renderValue(value.to ?? null)}`);
    } else if (isRecord(value) && Object.values(value).every((v) => isRecord(v) && 'from' in v && 'to' in v)) {
      for (const [inner, change] of Object.entries(value)) {
        if (isRecord(change)) lines.push(`${labelFor(inner)}: ${renderValue(change.from ?? null)} → ${renderValue(change.to ?? null)}`);
      }
    } else {
      lines.push(`${labelFor(key)}: ${renderValue(value)}`);
    }
  }
  return lines;
}

function isRecord(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type AuditState =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; entries: AuditEntry[]; nextCursor: string | null; loadingOlder: boolean; olderError: string | null };

function mergeEntries(existing: AuditEntry[], incoming: AuditEntry[]): AuditEntry[] {
  const byId = new Map(existing.map((entry) => [entry.id, entry]));
  for (const entry of incoming) byId.set(entry.id, entry);
  return [...byId.values()].sort((a, b) => b.at - a.at || b.id - a.id);
}

function AuditLog({ zone }: { zone: ZoneFormat }) {
  const client = useDeskClient();
  const { connection } = useDeskSnapshot();
  const [state, setState] = useState<AuditState>({ kind: 'loading' });
  const [fresh, setFresh] = useState<ReadonlySet<number>>(new Set());
  const wasLive = useRef(connection === 'live');

  const loadFirstPage = useRef(() => {});
  loadFirstPage.current = () => {
    client.readAuditLog({ limit: 25 }).then(
      (page) =>
        setState((previous) =>
          previous.kind === 'ready'
            ? { ...previous, entries: mergeEntries(previous.entries, page.entries) }
            : { kind: 'ready', entries: page.entries, nextCursor: page.nextCursor, loadingOlder: false, olderError: null },
        ),
      (error: unknown) => setState({ kind: 'failed', message: errorText(error) }),
    );
  };

  useEffect(() => loadFirstPage.current(), [client]);

  // Entries written while the event stream was down never arrive as events: read them again.
  useEffect(() => {
    if (connection === 'live' && !wasLive.current) loadFirstPage.current();
    wasLive.current = connection === 'live';
  }, [connection]);

  useDeskEvents((events) => {
    const appended = events.flatMap((event) => (event.type === 'auditAppended' ? [event.payload] : []));
    if (appended.length === 0) return;
    setState((previous) => (previous.kind === 'ready' ? { ...previous, entries: mergeEntries(previous.entries, appended) } : previous));
    setFresh(new Set(appended.map((entry) => entry.id)));
  });

  const loadOlder = (): void => {
    if (state.kind !== 'ready' || state.nextCursor === null || state.loadingOlder) return;
    const before = state.nextCursor;
    setState({ ...state, loadingOlder: true, olderError: null });
    client.readAuditLog({ before, limit: 25 }).then(
      (page) =>
        setState((previous) =>
          previous.kind === 'ready'
            ? { ...previous, entries: mergeEntries(previous.entries, page.entries), nextCursor: page.nextCursor, loadingOlder: false }
            : previous,
        ),
      (error: unknown) =>
        setState((previous) => (previous.kind === 'ready' ? { ...previous, loadingOlder: false, olderError: errorText(error) } : previous)),
    );
  };

  if (state.kind === 'loading') return <p className="muted card-pad">Loading the audit log…</p>;
  if (state.kind === 'failed') {
    return (
      <p className="inline-error card-pad" role="alert">
        <WarningIcon size={16} /> Could not read the audit log: {state.message}
      </p>
    );
  }
  if (state.entries.length === 0) {
    return (
      <div className="table-empty">
        <HistoryIcon size={24} />
        <p>No changes recorded yet. Every change to settings will be listed here with who made it and when.</p>
      </div>
    );
  }
  return (
    <>
      <div className="table-scroll">
        <table className="table" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Subject</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {state.entries.map((entry) => {
              const lines = detailLines(entry.detail);
              return (
                <tr key={entry.id} className={fresh.has(entry.id) ? 'row-fresh' : undefined}>
                  <td className="nowrap">
                    <time dateTime={isoInstant(entry.at)}>{formatDateTime(entry.at, zone)}</time>
                  </td>
                  <td>{entry.actor}</td>
                  <td>
                    <code className="action">{entry.action}</code>
                  </td>
                  <td>{renderSubject(entry.subject)}</td>
                  <td className="detail">
                    {lines.length === 0
                      ? '—'
                      : lines.map((line, index) => (
                          <span key={index} className="detail-line">
                            {line}
                          </span>
                        ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="card-footer">
        {state.olderError !== null && (
          <p className="inline-error" role="alert">
            <WarningIcon size={16} /> {state.olderError}
          </p>
        )}
        {state.nextCursor !== null ? (
          <button type="button" className="button button-secondary" onClick={loadOlder} disabled={state.loadingOlder}>
            {state.loadingOlder ? 'Loading…' : 'Load older entries'}
          </button>
        ) : (
          <p className="muted">Start of the audit log.</p>
        )}
      </div>
    </>
  );
}

// ---------------------------------------------------------------------------------------------

export function SettingsPage() {
  const { status } = useDeskSnapshot();
  const zone = zoneFormatOf(status);
  return (
    <>
      <PageHeader page={pageInfo('settings')} />
      <div className="settings-grid">
        <section className="card" aria-labelledby="settings-desk">
          <div className="card-header">
            <SettingsIcon size={18} />
            <h2 id="settings-desk" className="card-title">
              Desk
            </h2>
          </div>
          <div className="card-pad">
            <SettingsForm zone={zone} />
          </div>
        </section>
        <section className="card" aria-labelledby="settings-data">
          <div className="card-header">
            <DatabaseIcon size={18} />
            <h2 id="settings-data" className="card-title">
              Where data lives
            </h2>
          </div>
          <div className="card-pad">{status === null ? <p className="muted">Loading…</p> : <DataLocation status={status} zone={zone} />}</div>
        </section>
      </div>
      <section className="card" aria-labelledby="settings-accounts" data-testid="settings-accounts">
        <div className="card-header">
          <KeyIcon size={18} />
          <h2 id="settings-accounts" className="card-title">
            Accounts
          </h2>
          <p className="card-header-note">Secrets go to the system keychain (in server mode, a file only this user can read) and are never shown back; the desk only says which are stored.</p>
        </div>
        <div className="card-pad accounts-body">
          <AccountsSettings />
        </div>
      </section>
      <section className="card" aria-labelledby="settings-audit">
        <div className="card-header">
          <HistoryIcon size={18} />
          <h2 id="settings-audit" className="card-title">
            Audit log
          </h2>
          <p className="card-header-note">Who changed what, newest first. New entries appear as they are written.</p>
        </div>
        <AuditLog zone={zone} />
      </section>
    </>
  );
}
