import { useEffect } from 'react';
import { AuthScreens } from './components/auth/AuthScreens';
import { Messenger } from './components/Messenger';
import { StatusBar } from './components/StatusBar';
import { useAppStore } from './store/app';
import { useConversationsStore } from './store/conversations';
import { useSessionStore } from './store/session';
import { useThreadsStore } from './store/threads';

/** Subscribes the stores to what the main process pushes; returns the unsubscribe function. */
function subscribeToPushes(): () => void {
  const unsubscribe = [
    window.api.on('window.focus', ({ focused }) => useAppStore.getState().setFocused(focused)),
    window.api.on('session.changed', ({ profile }) => {
      useSessionStore.getState().setProfile(profile);
      if (!profile) {
        useConversationsStore.getState().reset();
        useThreadsStore.getState().reset();
      }
    }),
    window.api.on('messages.new', ({ groupUuid, messages }) =>
      useThreadsStore.getState().receive(groupUuid, messages),
    ),
    window.api.on('conversations.changed', ({ conversations }) =>
      useConversationsStore.getState().upsert(conversations),
    ),
  ];
  return () => unsubscribe.forEach((stop) => stop());
}

export function App() {
  const loadInfo = useAppStore((s) => s.loadInfo);
  const focused = useAppStore((s) => s.focused);
  const status = useSessionStore((s) => s.status);
  const restore = useSessionStore((s) => s.restore);

  useEffect(() => {
    void loadInfo();
    void restore();
    return subscribeToPushes();
  }, [loadInfo, restore]);

  return (
    <div className={focused ? 'app' : 'app app--blurred'}>
      {status === 'signedIn' && <Messenger />}
      {status === 'signedOut' && (
        <main className="auth">
          <AuthScreens />
        </main>
      )}
      {status === 'restoring' && (
        <main className="auth">
          <p className="pane__empty">Opening Cruddur…</p>
        </main>
      )}
      <StatusBar />
    </div>
  );
}
