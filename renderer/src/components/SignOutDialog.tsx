import { useRef, useState } from 'react';
import { useAppStore } from '../store/app';
import { useSessionStore } from '../store/session';
import { countWaiting, useThreadsStore } from '../store/threads';
import { Dialog } from './Dialog';

/** "1 message has" / "3 messages have": the question's subject. */
const messagesHave = (count: number) => (count === 1 ? '1 message has' : `${count} messages have`);

/**
 * Sign out with messages still in the outbox: signing out deletes them (the outbox is one
 * person's, and the next person must not send them), so it is asked first. Focus starts on
 * Cancel, the choice that loses nothing.
 */
export function SignOutDialog() {
  const closeDialog = useAppStore((s) => s.closeDialog);
  const signOut = useSessionStore((s) => s.signOut);
  const waiting = useThreadsStore((s) => countWaiting(s.threads));
  const cancel = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  async function confirm() {
    setBusy(true);
    setError(undefined);
    // Signed out, the change of profile closes this dialog (resetView); only a failure stays.
    const result = await signOut();
    if (!result.ok) {
      setBusy(false);
      setError(result.error.message);
    }
  }

  return (
    <Dialog title="Sign out?" onClose={closeDialog} className="sign-out" initialFocus={cancel}>
      <p className="sign-out__question">
        {waiting > 0
          ? `${messagesHave(waiting)} not been sent yet and will be deleted. Sign out anyway?`
          : 'Your messages have been sent meanwhile. Sign out?'}
      </p>
      {error && (
        <p className="auth-card__error" role="alert">
          Could not sign out: {error}
        </p>
      )}
      <div className="sign-out__actions">
        <button ref={cancel} type="button" className="button" onClick={closeDialog}>
          Cancel
        </button>
        <button
          type="button"
          className="button button--danger"
          disabled={busy}
          onClick={() => void confirm()}
        >
          Sign out
        </button>
      </div>
    </Dialog>
  );
}
