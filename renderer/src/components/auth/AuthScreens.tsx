import { useState } from 'react';
import { passwordProblems, PASSWORD_RULES } from '../../../../shared/password-rules';
import { useSessionStore } from '../../store/session';
import { AuthForm, Field } from './Form';
import { exhaustive } from '../../../../shared/exhaustive';

/** Signed out: sign in, sign up, confirm the code, forgot password, new password. */
export function AuthScreens() {
  const screen = useSessionStore((s) => s.screen);
  switch (screen) {
    case 'signIn':
      return <SignIn />;
    case 'signUp':
      return <SignUp />;
    case 'confirm':
      return <ConfirmCode />;
    case 'forgot':
      return <ForgotPassword />;
    case 'newPassword':
      return <NewPassword />;
    default:
      return exhaustive(screen);
  }
}

function LinkButton({ onClick, children }: { onClick(): void; children: string }) {
  return (
    <button type="button" className="link-button" onClick={onClick}>
      {children}
    </button>
  );
}

function SignIn() {
  const { handle: rememberedHandle, notice, go, setProfile } = useSessionStore();
  const [handle, setHandle] = useState(rememberedHandle);
  const [password, setPassword] = useState('');
  return (
    <AuthForm
      title="Sign in to Cruddur"
      submitLabel="Sign in"
      notice={notice}
      onSubmit={async () => {
        const result = await window.api.signIn({ handle, password });
        if (result.ok) setProfile(result.value);
        return result;
      }}
      onError={(error) => {
        // Two failures have a screen of their own: confirming the account, and asking for a
        // code to set a new password (an admin reset it, or Cognito requires a new one).
        if (error.reason === 'UserNotConfirmed') go('confirm', { handle, notice: error.message });
        else if (error.reason === 'PasswordResetRequired') go('forgot', { handle, notice: error.message });
        else return false;
        return true;
      }}
      footer={
        <>
          <LinkButton onClick={() => go('signUp')}>Create an account</LinkButton>
          <LinkButton onClick={() => go('forgot', { handle })}>Forgot password?</LinkButton>
        </>
      }
    >
      <Field label="Handle" value={handle} onChange={setHandle} autoComplete="username" />
      <Field
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
      />
    </AuthForm>
  );
}

function PasswordRules({ password }: { password: string }) {
  const missing = new Set(passwordProblems(password));
  return (
    <ul className="password-rules" aria-label="Password rules">
      {PASSWORD_RULES.map(({ rule }) => (
        <li
          key={rule}
          className={
            missing.has(rule) ? 'password-rules__rule' : 'password-rules__rule password-rules__rule--met'
          }
        >
          {rule}
        </li>
      ))}
    </ul>
  );
}

function SignUp() {
  const go = useSessionStore((s) => s.go);
  const [email, setEmail] = useState('');
  const [handle, setHandle] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  return (
    <AuthForm
      title="Create your account"
      submitLabel="Sign up"
      onSubmit={async () => {
        const result = await window.api.signUp({ email, handle, display_name: displayName, password });
        if (result.ok) {
          if (result.value.needsConfirmation) {
            go('confirm', { handle, notice: `We sent a code to ${result.value.destination ?? email}.` });
          } else {
            go('signIn', { handle, notice: 'Your account is ready. Sign in.' });
          }
        }
        return result;
      }}
      footer={<LinkButton onClick={() => go('signIn')}>I already have an account</LinkButton>}
    >
      <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="email" />
      <Field label="Handle" value={handle} onChange={setHandle} autoComplete="username" />
      <Field label="Display name" value={displayName} onChange={setDisplayName} autoComplete="name" />
      <Field
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="new-password"
      >
        <PasswordRules password={password} />
      </Field>
    </AuthForm>
  );
}

function ConfirmCode() {
  const { handle: rememberedHandle, notice, go } = useSessionStore();
  const [handle, setHandle] = useState(rememberedHandle);
  const [code, setCode] = useState('');
  return (
    <AuthForm
      title="Confirm your account"
      submitLabel="Confirm"
      notice={notice}
      onSubmit={async () => {
        const result = await window.api.confirmSignUp({ handle, code });
        if (result.ok) go('signIn', { handle, notice: 'Your account is confirmed. Sign in.' });
        return result;
      }}
      footer={
        <>
          <LinkButton
            onClick={async () => {
              const result = await window.api.resendCode({ handle });
              go('confirm', {
                handle,
                notice: result.ok
                  ? `We sent a new code to ${result.value.destination ?? 'your email'}.`
                  : result.error.message,
              });
            }}
          >
            Send a new code
          </LinkButton>
          <LinkButton onClick={() => go('signIn', { handle })}>Back to sign in</LinkButton>
        </>
      }
    >
      <Field label="Handle" value={handle} onChange={setHandle} autoComplete="username" />
      <Field label="Code" value={code} onChange={setCode} inputMode="numeric" autoComplete="one-time-code" />
    </AuthForm>
  );
}

function ForgotPassword() {
  const { handle: rememberedHandle, notice, go } = useSessionStore();
  const [handle, setHandle] = useState(rememberedHandle);
  return (
    <AuthForm
      title="Reset your password"
      submitLabel="Send me a code"
      notice={notice}
      onSubmit={async () => {
        const result = await window.api.forgotPassword({ handle });
        if (result.ok) {
          go('newPassword', {
            handle,
            notice: `We sent a code to ${result.value.destination ?? 'your email'}.`,
          });
        }
        return result;
      }}
      footer={<LinkButton onClick={() => go('signIn', { handle })}>Back to sign in</LinkButton>}
    >
      <Field label="Handle" value={handle} onChange={setHandle} autoComplete="username" />
    </AuthForm>
  );
}

function NewPassword() {
  const { handle: rememberedHandle, notice, go } = useSessionStore();
  const [handle, setHandle] = useState(rememberedHandle);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  return (
    <AuthForm
      title="Choose a new password"
      submitLabel="Set password"
      notice={notice}
      onSubmit={async () => {
        const result = await window.api.confirmForgotPassword({ handle, code, password });
        if (result.ok) go('signIn', { handle, notice: 'Your password is changed. Sign in with it.' });
        return result;
      }}
      footer={<LinkButton onClick={() => go('forgot', { handle })}>Send another code</LinkButton>}
    >
      <Field label="Handle" value={handle} onChange={setHandle} autoComplete="username" />
      <Field label="Code" value={code} onChange={setCode} inputMode="numeric" autoComplete="one-time-code" />
      <Field
        label="New password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="new-password"
      >
        <PasswordRules password={password} />
      </Field>
    </AuthForm>
  );
}
