import { useState, type FormEvent, type ReactNode } from 'react';
import type { AppErrorShape, Result } from '../../../../shared/result';

interface FormProps {
  title: string;
  submitLabel: string;
  onSubmit(): Promise<Result<unknown> | undefined>;
  /** Called with a failure before it is shown; return true when it was handled (e.g. rerouted). */
  onError?(error: AppErrorShape): boolean;
  children: ReactNode;
  footer?: ReactNode;
  notice?: string | undefined;
}

/** The frame of every sign-in screen: a title, fields, one submit button, one error line. */
export function AuthForm({ title, submitLabel, onSubmit, onError, children, footer, notice }: FormProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await onSubmit();
      if (result && !result.ok && !onError?.(result.error)) setError(result.error.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="auth-card" onSubmit={submit} aria-label={title}>
      <h1>{title}</h1>
      {notice && <p className="auth-card__notice">{notice}</p>}
      {children}
      {error && (
        <p className="auth-card__error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Please wait…' : submitLabel}
      </button>
      {footer && <div className="auth-card__footer">{footer}</div>}
    </form>
  );
}

interface FieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  type?: 'text' | 'email' | 'password';
  autoComplete?: string;
  inputMode?: 'numeric';
  children?: ReactNode;
}

export function Field({
  label,
  value,
  onChange,
  type = 'text',
  autoComplete,
  inputMode,
  children,
}: FieldProps) {
  return (
    <div className="field">
      <label className="field">
        <span className="field__label">{label}</span>
        <input
          className="field__input"
          type={type}
          value={value}
          autoComplete={autoComplete}
          inputMode={inputMode}
          spellCheck={false}
          onChange={(event) => onChange(event.target.value)}
        />
      </label>
      {children}
    </div>
  );
}
