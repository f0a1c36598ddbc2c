import { useEffect, useRef } from 'react';
import { useAppStore } from '../store/app';
import { useConversationsStore } from '../store/conversations';
import { useSessionStore } from '../store/session';
import { Avatar } from './Avatar';
import { ConversationList } from './ConversationList';
import { ConversationPane } from './ConversationPane';
import { NewConversation } from './NewConversation';

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

/** Signed in: the conversation list on the left, the open conversation on the right. */
export function Messenger() {
  const profile = useSessionStore((s) => s.profile);
  const signOut = useSessionStore((s) => s.signOut);
  const loadFirst = useConversationsStore((s) => s.loadFirst);
  const selected = useConversationsStore((s) => s.selected);
  const composing = useAppStore((s) => s.composing);
  const setComposing = useAppStore((s) => s.setComposing);
  const startComposing = useAppStore((s) => s.startComposing);
  const openDialog = useAppStore((s) => s.openDialog);
  const newButton = useRef<HTMLButtonElement>(null);
  useUnreadTitle();

  // Picking a conversation in the list leaves the new-conversation form.
  useEffect(() => setComposing(false), [selected, setComposing]);

  useEffect(() => {
    void loadFirst();
  }, [loadFirst]);

  return (
    <main className="panes">
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
          <button type="button" className="link-button" onClick={() => void signOut()}>
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
