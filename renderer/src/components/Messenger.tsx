import { useEffect, useRef } from 'react';
import { useAppStore } from '../store/app';
import { useConversationsStore } from '../store/conversations';
import { useSessionStore } from '../store/session';
import { countWaiting, useThreadsStore } from '../store/threads';
import { Avatar } from './Avatar';
import { ConversationList } from './ConversationList';
import { ConversationPane } from './ConversationPane';
import { NewConversation } from './NewConversation';
import { OfflineBanner } from './OfflineBanner';

const TITLE = 'Cruddur';

/** The window title counts what is unread in the loaded list, so it shows in the task bar too. */
function useUnreadTitle() {
  const unread = useConversationsStore((s) => s.conversations.reduce((sum, c) => sum + c.unread_count, 0));
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ${TITLE}` : TITLE;
  }, [unread]);
  useEffect(
    () => () => {
      document.title = TITLE;
    },
    [],
  );
}

/**
 * Signed in: the conversation list on the left, the open conversation on the right, and above
 * them the offline banner while DynamoDB cannot be reached.
 */
export function Messenger() {
  const profile = useSessionStore((s) => s.profile);
  const signOut = useSessionStore((s) => s.signOut);
  const loadFirst = useConversationsStore((s) => s.loadFirst);
  const selectLast = useConversationsStore((s) => s.selectLast);
  const loadOutbox = useThreadsStore((s) => s.loadOutbox);
  const waiting = useThreadsStore((s) => countWaiting(s.threads));
  const selected = useConversationsStore((s) => s.selected);
  const composing = useAppStore((s) => s.composing);
  const setComposing = useAppStore((s) => s.setComposing);
  const startComposing = useAppStore((s) => s.startComposing);
  const openDialog = useAppStore((s) => s.openDialog);
  const newButton = useRef<HTMLButtonElement>(null);
  useUnreadTitle();

  // Picking a conversation in the list leaves the new-conversation form.
  useEffect(() => setComposing(false), [selected, setComposing]);

  // Signed in: the list (then the conversation I had open last), and what still waits to be sent.
  useEffect(() => {
    void loadFirst().then(selectLast);
    void loadOutbox();
  }, [loadFirst, selectLast, loadOutbox]);

  return (
    <main className="panes">
      <OfflineBanner />
      <nav className="pane pane--conversations" aria-label="Conversations">
        <header className="pane__header me">
          {profile && <Avatar name={profile.display_name} />}
          <div className="me__who">
            <strong>{profile?.display_name}</strong>
            <span className="conversation__handle">@{profile?.handle}</span>
          </div>
          <button type="button" className="link-button" onClick={() => openDialog('settings')}>
            Settings
          </button>
          {/* Signing out deletes what waits in the outbox: that is asked first. */}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              if (waiting > 0) openDialog('signOut');
              else void signOut();
            }}
          >
            Sign out
          </button>
        </header>
        <div className="pane__toolbar">
          <h1>Messages</h1>
          <div className="pane__actions">
            <button type="button" className="button" onClick={() => openDialog('switcher')}>
              Find
            </button>
            <button ref={newButton} type="button" className="button" onClick={startComposing}>
              New
            </button>
          </div>
        </div>
        <ConversationList />
      </nav>
      <section className="pane pane--conversation" aria-label="Conversation">
        {composing ? (
          <NewConversation onClose={() => setComposing(false)} returnFocusTo={() => newButton.current} />
        ) : (
          <ConversationPane />
        )}
      </section>
    </main>
  );
}
