import { useEffect, useState } from 'react';
import { useConversationsStore } from '../store/conversations';
import { useSessionStore } from '../store/session';
import { Avatar } from './Avatar';
import { ConversationList } from './ConversationList';
import { ConversationPane } from './ConversationPane';
import { NewConversation } from './NewConversation';

/** Signed in: the conversation list on the left, the open conversation on the right. */
export function Messenger() {
  const profile = useSessionStore((s) => s.profile);
  const signOut = useSessionStore((s) => s.signOut);
  const loadFirst = useConversationsStore((s) => s.loadFirst);
  const selected = useConversationsStore((s) => s.selected);
  const [composing, setComposing] = useState(false);

  // Picking a conversation in the list leaves the new-conversation form.
  useEffect(() => setComposing(false), [selected]);

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
          <button type="button" className="link-button" onClick={() => void signOut()}>
            Sign out
          </button>
        </header>
        <div className="pane__toolbar">
          <h1>Messages</h1>
          <button type="button" className="button" onClick={() => setComposing(true)}>
            New
          </button>
        </div>
        <ConversationList />
      </nav>
      <section className="pane pane--conversation" aria-label="Conversation">
        {composing ? <NewConversation onClose={() => setComposing(false)} /> : <ConversationPane />}
      </section>
    </main>
  );
}
