/**
 * Settings > Accounts: the X account and the Facebook Page the desk watches, and what each
 * connector is doing with them.
 *
 * Secrets go one way. The inputs are uncontrolled (React would otherwise mirror what is typed
 * into the value attribute), are emptied once the desk has stored them, and the desk only ever
 * says which ones are set.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { AccountView } from '../../../electron/core/contract';
import { DeskCallError } from '../client/desk-client';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { ConnectorPanel } from '../app/ConnectorPanel';
import { CheckIcon, InfoIcon, KeyIcon, PlugIcon, TrashIcon, WarningIcon } from '../app/icons';
import { useDeskClient, useDeskEvents } from '../state/hooks';

type AccountPlatform = AccountView['platform'];

interface FieldSpec {
  readonly key: string;
  readonly label: string;
  readonly hint?: string;
  readonly secret: boolean;
  readonly optional?: boolean;
  readonly defaultValue?: string;
  /** The SecretStore name the desk reports in secretsSet, for secret fields. */
  readonly secretName?: string;
}

const forms: Record<AccountPlatform, { title: string; saveLabel: string; command: 'saveXAccount' | 'saveFacebookAccount'; fields: readonly FieldSpec[]; intro: string }> = {
  x: {
    title: 'X account',
    saveLabel: 'Save account',
    command: 'saveXAccount',
    intro: 'The keys of the X app and the access token of the company’s handle, from the X developer portal.',
    fields: [
      { key: 'apiKey', label: 'API key', secret: true, secretName: 'x.api-key' },
      { key: 'apiSecret', label: 'API secret', secret: true, secretName: 'x.api-secret' },
      { key: 'accessToken', label: 'Access token', secret: true, secretName: 'x.access-token' },
      { key: 'accessSecret', label: 'Access token secret', secret: true, secretName: 'x.access-secret' },
      {
        key: 'bearerToken',
        label: 'Bearer token',
        secret: true,
        optional: true,
        secretName: 'x.bearer-token',
        hint: 'Optional. Needed for X’s filtered stream; without it the desk polls.',
      },
    ],
  },
  facebook: {
    title: 'Facebook Page',
    saveLabel: 'Save Page',
    command: 'saveFacebookAccount',
    intro: 'The Page the desk answers for, and a Page access token with the messaging and engagement permissions.',
    fields: [
      { key: 'pageId', label: 'Page id', secret: false, hint: 'The numeric id, from the Page’s About section.' },
      { key: 'pageToken', label: 'Page access token', secret: true, secretName: 'facebook.page-token' },
      { key: 'graphVersion', label: 'Graph API version', secret: false, defaultValue: 'v25.0', hint: 'For example v25.0.' },
    ],
  },
};

function errorText(error: unknown): string {
  return error instanceof DeskCallError ? error.message : 'Something went wrong while asking the desk.';
}

/**
 * "saveXAccount: apiKey must not be empty; pageId is the numeric id of the Page" becomes one
 * sentence per field, under that field, in the form's words.
 */
function splitRefusal(message: string, fields: readonly FieldSpec[]): { byField: Map<string, string>; general: string | null } {
  const byField = new Map<string, string>();
  const general: string[] = [];
  const text = message.replace(/^(saveXAccount|saveFacebookAccount): /, '');
  for (const part of text.split('; ')) {
    const field = fields.find((spec) => part.startsWith(`${spec.key} `));
    if (field === undefined) {
      general.push(part);
      continue;
    }
    const sentence = `${field.label}${part.slice(field.key.length)}`;
    byField.set(field.key, /[.!?]$/.test(sentence) ? sentence : `${sentence}.`);
  }
  const rest = general.join('; ');
  return { byField, general: rest === '' ? null : rest.charAt(0).toUpperCase() + rest.slice(1) };
}

type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved' }
  | { kind: 'refused'; byField: Map<string, string>; general: string | null };

type TestState = { kind: 'idle' } | { kind: 'testing' } | { kind: 'done'; ok: boolean; detail: string };

function secretLabel(name: string): string {
  for (const form of Object.values(forms)) {
    const field = form.fields.find((spec) => spec.secretName === name);
    if (field !== undefined) return field.label;
  }
  return name;
}

function SecretsSummary({ account }: { account: AccountView }) {
  const form = forms[account.platform];
  const secretFields = form.fields.filter((field) => field.secret);
  return (
    <ul className="secret-list" aria-label="Stored secrets" data-testid={`secrets-${account.platform}`}>
      {secretFields.map((field) => {
        const set = field.secretName !== undefined && account.secretsSet.includes(field.secretName);
        return (
          <li key={field.key} className={set ? 'secret-set' : 'secret-unset'}>
            {set ? <CheckIcon size={14} /> : <span className="secret-dash" aria-hidden="true" />}
            {secretLabel(field.secretName ?? field.key)}
            <span className="visually-hidden">{set ? ': stored' : ': not stored'}</span>
          </li>
        );
      })}
    </ul>
  );
}

function AccountCard({ account, onChanged }: { account: AccountView; onChanged: (view: AccountView) => void }) {
  const client = useDeskClient();
  const form = forms[account.platform];
  const formRef = useRef<HTMLFormElement>(null);
  const ids = useId();
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [test, setTest] = useState<TestState>({ kind: 'idle' });
  const [removing, setRemoving] = useState<{ busy: boolean; error: string | null } | null>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (save.kind === 'saving') return;
    const data = new FormData(event.currentTarget);
    const input: Record<string, string> = {};
    for (const field of form.fields) {
      const value = data.get(field.key);
      const text = typeof value === 'string' ? value : '';
      // An optional secret left empty is left out; everything else goes to the desk as typed, and it judges.
      if (field.optional === true && text.trim() === '') continue;
      input[field.key] = text;
    }
    setSave({ kind: 'saving' });
    setTest({ kind: 'idle' });
    const call =
      form.command === 'saveXAccount'
        ? client.saveXAccount(input as Parameters<typeof client.saveXAccount>[0])
        : client.saveFacebookAccount(input as Parameters<typeof client.saveFacebookAccount>[0]);
    call.then(
      (view) => {
        formRef.current?.reset();
        setSave({ kind: 'saved' });
        onChanged(view);
      },
      (error: unknown) => {
        const { byField, general } = splitRefusal(errorText(error), form.fields);
        setSave({ kind: 'refused', byField, general });
        const first = form.fields.find((field) => byField.has(field.key));
        if (first !== undefined) formRef.current?.querySelector<HTMLInputElement>(`[name="${first.key}"]`)?.focus();
      },
    );
  };

  const runTest = (): void => {
    setTest({ kind: 'testing' });
    client.testConnection({ platform: account.platform }).then(
      (result) => {
        setTest({ kind: 'done', ok: result.ok, detail: result.detail });
        // A working connection names the account: show who it is.
        if (result.ok) {
          void client.getAccounts({}).then((all) => {
            for (const view of all.accounts) if (view.platform === account.platform) onChanged(view);
          });
        }
      },
      (error: unknown) => setTest({ kind: 'done', ok: false, detail: errorText(error) }),
    );
  };

  const remove = (): void => {
    setRemoving({ busy: true, error: null });
    client.removeAccount({ platform: account.platform }).then(
      (view) => {
        setRemoving(null);
        setSave({ kind: 'idle' });
        setTest({ kind: 'idle' });
        onChanged(view);
      },
      (error: unknown) => setRemoving({ busy: false, error: errorText(error) }),
    );
  };

  const fieldError = (key: string): string | null => (save.kind === 'refused' ? (save.byField.get(key) ?? null) : null);
  const status: ReactNode = account.configured ? (
    <span className="status-chip status-chip-ok">
      <span className="status-chip-dot" aria-hidden="true" />
      Configured
    </span>
  ) : (
    <span className="status-chip status-chip-neutral">
      <span className="status-chip-dot" aria-hidden="true" />
      Not configured
    </span>
  );

  return (
    <section className="account" aria-labelledby={`${ids}-title`} data-testid={`account-${account.platform}`}>
      <div className="account-head">
        <h3 id={`${ids}-title`} className="account-title">
          <KeyIcon size={17} /> {form.title}
        </h3>
        {status}
      </div>
      <p className="account-identity" data-testid={`account-identity-${account.platform}`}>
        {account.identity !== null
          ? `Connected as ${account.identity}.`
          : account.configured
            ? 'Not confirmed yet: use “Test connection” to ask the platform who this account is.'
            : account.usesSandbox
              ? 'Not set: the desk watches the sandbox’s simulated account instead.'
              : 'Not set: nothing is watched on this platform.'}
      </p>
      <SecretsSummary account={account} />
      <form ref={formRef} className="form account-form" onSubmit={onSubmit} noValidate aria-label={`${form.title} credentials`}>
        <p className="field-hint">
          {form.intro} {account.configured ? 'Saving replaces what is stored; enter every value again.' : ''}
        </p>
        {form.fields.map((field) => {
          const error = fieldError(field.key);
          const inputId = `${ids}-${field.key}`;
          const described = [field.hint !== undefined ? `${inputId}-hint` : '', error !== null ? `${inputId}-error` : ''].filter(Boolean).join(' ');
          const stored = field.secretName !== undefined && account.secretsSet.includes(field.secretName);
          return (
            <div className="field" key={field.key}>
              <label htmlFor={inputId}>
                {field.label}
                {field.optional === true && <span className="field-optional"> (optional)</span>}
              </label>
              <input
                id={inputId}
                name={field.key}
                type={field.secret ? 'password' : 'text'}
                autoComplete={field.secret ? 'new-password' : 'off'}
                spellCheck={false}
                defaultValue={field.defaultValue}
                placeholder={field.secret ? (stored ? 'Stored — type a new value to replace it' : 'Not stored') : undefined}
                aria-invalid={error !== null}
                aria-describedby={described === '' ? undefined : described}
                data-testid={`field-${field.key}`}
              />
              {field.hint !== undefined && (
                <p className="field-hint" id={`${inputId}-hint`}>
                  {field.hint}
                </p>
              )}
              {error !== null && (
                <p className="field-error" id={`${inputId}-error`} role="alert" data-testid="account-error">
                  <WarningIcon size={15} /> {error}
                </p>
              )}
            </div>
          );
        })}
        {save.kind === 'refused' && save.general !== null && (
          <p className="inline-error" role="alert" data-testid="account-error">
            <WarningIcon size={16} /> {save.general}
          </p>
        )}
        <div className="form-actions account-actions">
          <button type="submit" className="button button-primary" disabled={save.kind === 'saving'}>
            {save.kind === 'saving' ? 'Saving…' : form.saveLabel}
          </button>
          <button type="button" className="button button-secondary" onClick={runTest} disabled={test.kind === 'testing'}>
            <PlugIcon size={15} /> {test.kind === 'testing' ? 'Testing…' : 'Test connection'}
          </button>
          {account.configured && (
            <button type="button" className="button button-ghost-danger" onClick={() => setRemoving({ busy: false, error: null })}>
              <TrashIcon size={15} /> Remove
            </button>
          )}
        </div>
        <div className="account-results" aria-live="polite">
          {save.kind === 'saved' && (
            <p className="success-note" data-testid={`account-saved-${account.platform}`}>
              <CheckIcon size={16} /> Stored. The desk is reconnecting with the new credentials; the values are not shown again.
            </p>
          )}
          {test.kind === 'done' && (
            <p className={test.ok ? 'success-note' : 'inline-error'} data-testid={`test-result-${account.platform}`}>
              {test.ok ? <CheckIcon size={16} /> : <WarningIcon size={16} />} {test.ok ? 'Connection works.' : 'Connection failed.'} {test.detail}
            </p>
          )}
        </div>
      </form>
      {removing !== null && (
        <ConfirmDialog
          open
          title={`Remove the ${form.title}?`}
          confirmLabel="Remove account"
          busyLabel="Removing…"
          tone="danger"
          busy={removing.busy}
          error={removing.error}
          testId="remove-dialog"
          onConfirm={remove}
          onCancel={() => setRemoving(null)}
        >
          <p>
            The desk forgets the stored {account.platform === 'x' ? 'keys and tokens' : 'Page token'}
            {account.identity !== null ? ` and stops watching ${account.identity}` : ' and stops watching this account'}. Messages
            already received stay in the history. With no account left, the desk goes back to the sandbox.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

type AccountsState = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; accounts: AccountView[] };

export function AccountsSettings() {
  const client = useDeskClient();
  const [state, setState] = useState<AccountsState>({ kind: 'loading' });

  const load = useRef(() => {});
  load.current = () => {
    client.getAccounts({}).then(
      (result) => setState({ kind: 'ready', accounts: result.accounts }),
      (error: unknown) => setState((previous) => (previous.kind === 'ready' ? previous : { kind: 'failed', message: errorText(error) })),
    );
  };
  useEffect(() => load.current(), [client]);

  // Changed from another window or the API: the audit log says so, and the status follows.
  useDeskEvents((events) => {
    if (events.some((event) => (event.type === 'auditAppended' && event.payload.action.startsWith('account.')) || event.type === 'statusChanged')) {
      load.current();
    }
  });

  const replace = (view: AccountView): void =>
    setState((previous) =>
      previous.kind === 'ready' ? { kind: 'ready', accounts: previous.accounts.map((account) => (account.platform === view.platform ? view : account)) } : previous,
    );

  return (
    <>
      {state.kind === 'ready' && state.accounts.some((account) => account.usesSandbox) && (
        <p className="note-banner" data-testid="accounts-sandbox-note">
          <InfoIcon size={16} />
          <span>
            No real account is configured, so the desk is connected to the <strong>sandbox</strong>: simulated customers on a
            simulated network. Saving an account below connects the desk to the real platform.
          </span>
        </p>
      )}
      <div className="card-section">
        <h3 className="section-title">Connectors</h3>
        <ConnectorPanel variant="full" />
      </div>
      {state.kind === 'loading' && <p className="muted card-pad">Reading the accounts…</p>}
      {state.kind === 'failed' && (
        <p className="inline-error card-pad" role="alert">
          <WarningIcon size={16} /> Could not read the accounts: {state.message}
        </p>
      )}
      {state.kind === 'ready' && (
        <div className="account-grid">
          {state.accounts.map((account) => (
            <AccountCard key={account.platform} account={account} onChanged={replace} />
          ))}
        </div>
      )}
    </>
  );
}
