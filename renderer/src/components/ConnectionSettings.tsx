import { useEffect, useId, useState, type FormEvent } from 'react';
import type {
  ConnectionField,
  ConnectionMode,
  ConnectionView,
  ServiceName,
} from '../../../shared/connection';
import type { BackendTarget } from '../../../shared/targets';
import { useConnectionStore } from '../store/connection';

const TARGET_NAMES: Record<BackendTarget, string> = { local: 'Local cloud', aws: 'AWS' };
const SERVICE_NAMES: Record<ServiceName, string> = {
  dynamodb: 'DynamoDB',
  cognito: 'Cognito',
  postgres: 'PostgreSQL',
  api: 'Message API',
};
/** What each mode leaves on this computer, in the words the Settings view shows. */
export const MODE_DESCRIPTIONS: Record<ConnectionMode, string> = {
  api: 'API: the server decides who may read what; this computer holds only your sign-in',
  direct: 'Direct: this computer holds AWS credentials and a database connection',
};

interface Form {
  target: BackendTarget;
  region: string;
  tableName: string;
  userPoolId: string;
  userPoolClientId: string;
  /** '' keeps the saved URL. */
  databaseUrl: string;
  /** '' keeps the saved password. Write-only: never filled from the main process. */
  password: string;
  /** '' is direct mode. */
  apiUrl: string;
}

const formOf = (view: ConnectionView): Form => ({
  target: view.target,
  region: view.region,
  tableName: view.tableName,
  userPoolId: view.userPoolId ?? '',
  userPoolClientId: view.userPoolClientId ?? '',
  databaseUrl: '',
  password: '',
  apiUrl: view.apiUrl ?? '',
});

/** One text field; read-only, and saying so, when a CRUDDUR_* variable sets it. */
function Field(props: {
  label: string;
  value: string;
  byEnvironment: boolean;
  onChange(value: string): void;
  type?: 'text' | 'password';
  placeholder?: string;
  hint?: string;
}) {
  const id = useId();
  const hint = props.byEnvironment ? 'set by the environment' : props.hint;
  return (
    <div className="settings__field">
      <label className="settings__label" htmlFor={id}>
        {props.label}
      </label>
      <input
        id={id}
        className="settings__input"
        type={props.type ?? 'text'}
        value={props.value}
        readOnly={props.byEnvironment}
        placeholder={props.placeholder}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(event) => props.onChange(event.target.value)}
      />
      {hint && (
        <p id={`${id}-hint`} className="settings__hint">
          {hint}
        </p>
      )}
    </div>
  );
}

/** The answers of "Check services": each service's "answers" or its error's one line. */
function ServiceChecks() {
  const { checks, checking, checkError } = useConnectionStore();
  if (checking) return <p className="settings__hint">Checking…</p>;
  if (checkError) return <p className="settings__hint">Could not check: {checkError.message}</p>;
  if (!checks) return null;
  return (
    <ul className="settings__checks" aria-label="Services">
      {checks.map((check) => (
        <li key={check.service}>
          <strong>{SERVICE_NAMES[check.service]}</strong>: {check.ok ? 'answers' : check.message}
        </li>
      ))}
    </ul>
  );
}

/**
 * Where the app connects: the local cloud or AWS (region, table, user pool and app client, the
 * directory's PostgreSQL), directly or through the message API (its URL; then no table and no
 * directory), and which of the two modes is in use. Saved with Save (not at once, as the rest of Settings: a half-typed
 * pool id would end the sign-in). Never shows a secret: the password field is write-only.
 */
export function ConnectionSettings() {
  const { connection, error, saving, saves, load, save, check, checking } = useConnectionStore();
  const [form, setForm] = useState<Form | undefined>();
  const targetName = useId();

  useEffect(() => {
    void load();
  }, [load]);
  // The form starts from the main process's connection, and again after each save.
  useEffect(() => {
    if (connection) setForm(formOf(connection));
  }, [connection]);

  if (!connection || !form) {
    return error ? <p className="settings__hint">Could not load the connection: {error.message}</p> : null;
  }
  const byEnvironment = (field: ConnectionField) => connection.sources[field] === 'environment';
  const change = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  // The directory and the table are the server's in API mode: the form asks only for what the app uses.
  const apiChosen = form.apiUrl.trim() !== '';
  const apiUrl = form.apiUrl.trim() || null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    void save({
      target: form.target,
      region: form.region.trim(),
      tableName: form.tableName.trim(),
      userPoolId: form.userPoolId.trim() || null,
      userPoolClientId: form.userPoolClientId.trim() || null,
      ...(form.databaseUrl.trim() && { databaseUrl: form.databaseUrl.trim() }),
      ...(form.password && { password: form.password }),
      // Sent only when changed: absent keeps what is saved (and what the environment sets).
      ...(apiUrl !== connection.apiUrl && { apiUrl }),
    });
  };

  return (
    <form className="settings__group" aria-label="Connection" onSubmit={submit}>
      <h3 className="settings__heading">Connection</h3>
      {!connection.configured && (
        <p className="settings__hint">Choose where Cruddur connects before signing in.</p>
      )}
      <p className="settings__hint">{MODE_DESCRIPTIONS[connection.mode]}</p>
      <fieldset className="settings__choices" disabled={byEnvironment('target')}>
        <legend>Target</legend>
        {(Object.keys(TARGET_NAMES) as BackendTarget[]).map((target) => (
          <label key={target} className="settings__choice">
            <input
              type="radio"
              name={targetName}
              value={target}
              checked={form.target === target}
              onChange={() => change({ target })}
            />
            {TARGET_NAMES[target]}
          </label>
        ))}
        {byEnvironment('target') && <p className="settings__hint">set by the environment</p>}
      </fieldset>
      <Field
        label="Region"
        value={form.region}
        byEnvironment={byEnvironment('region')}
        onChange={(region) => change({ region })}
      />
      <Field
        label="API URL"
        value={form.apiUrl}
        byEnvironment={byEnvironment('apiUrl')}
        placeholder="https://api.example.com"
        hint="The message API of a public deployment. Empty: direct mode."
        onChange={(apiUrl) => change({ apiUrl })}
      />
      {!apiChosen && (
        <Field
          label="Table"
          value={form.tableName}
          byEnvironment={byEnvironment('tableName')}
          onChange={(tableName) => change({ tableName })}
        />
      )}
      <Field
        label="User pool id"
        value={form.userPoolId}
        byEnvironment={byEnvironment('userPoolId')}
        placeholder={form.target === 'aws' ? 'us-east-1_AbC123' : 'from the local cloud'}
        onChange={(userPoolId) => change({ userPoolId })}
      />
      <Field
        label="App client id"
        value={form.userPoolClientId}
        byEnvironment={byEnvironment('userPoolClientId')}
        onChange={(userPoolClientId) => change({ userPoolClientId })}
      />
      {!apiChosen && (
        <>
          <Field
            label="Directory URL"
            value={form.databaseUrl}
            byEnvironment={byEnvironment('databaseUrl')}
            placeholder="postgres://user@host:5432/db"
            hint={
              connection.databaseHost
                ? `Now ${connection.databaseHost}. Leave empty to keep it; no password here.`
                : 'No password here.'
            }
            onChange={(databaseUrl) => change({ databaseUrl })}
          />
          <Field
            label="Directory password"
            type="password"
            value={form.password}
            byEnvironment={byEnvironment('databaseUrl')}
            hint={connection.passwordSaved ? 'password saved (leave empty to keep it)' : 'no password saved'}
            onChange={(password) => change({ password })}
          />
        </>
      )}
      <p className="settings__hint">
        Saving reconnects the app to these services: you are signed out.{' '}
        {apiChosen
          ? 'In API mode no AWS credentials are used.'
          : "AWS credentials come from this computer's AWS profile, never from here."}
      </p>
      <div className="settings__actions">
        {/* aria-disabled, not disabled: a focused button that becomes disabled drops the focus to
            the page, out of the dialog, where Esc and Tab no longer reach it. */}
        <button type="submit" className="button button--primary" aria-disabled={saving}>
          Save
        </button>
        <button
          type="button"
          className="button"
          aria-disabled={checking}
          onClick={() => {
            if (!checking) void check();
          }}
        >
          Check services
        </button>
      </div>
      {saves > 0 && !error && (
        <p className="settings__hint" role="status">
          Saved: the app now connects to {TARGET_NAMES[connection.target]} ({connection.region})
          {connection.mode === 'api' ? ' through the message API' : ''}.
        </p>
      )}
      {error && (
        <p className="auth-card__error" role="alert">
          Could not save the connection: {error.message}
        </p>
      )}
      <ServiceChecks />
    </form>
  );
}
