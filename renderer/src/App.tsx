import { useEffect } from 'react';
import { AuthScreens } from './components/auth/AuthScreens';
import { Messenger } from './components/Messenger';
import { StatusBar } from './components/StatusBar';
import { useAppStore } from './store/app';
import { useConversationsStore } from './store/conversations';
import { useSessionStore } from './store/session';
import { useThreadsStore } from './store/threads';

/**
 * Subscribes the stores to what the main process pushes; returns the unsubscribe function. The
 * preload has already dropped any push that names another sign-in than the current one.
 */
function subscribeToPushes(): () => void {
  const unsubscribe = [
    window.api.on('window.focus', ({ focused }) => useAppStore.getState().setFocused(focused)),
    window.api.on('session.changed', ({ profile }) => useSessionStore.getState().setProfile(profile)),
    window.api.on('messages.new', ({ groupUuid, messages }) =>
      useThreadsStore.getState().receive(groupUuid, messages),
    ),
    window.api.on('conversations.changed', ({ conversations }) =>
      useConversationsStore.getState().upsert(conversations),
    ),
  ];
  return () => unsubscribe.forEach((stop) => stop());
}

/**
 * What the stores hold belongs to one person: every change of who is signed in empties them
 * (a sign-out, and A to B with no signed-out phase between), however the change arrives.
 */
function resetOnEveryProfileChange(): () => void {
  return useSessionStore.subscribe((state, previous) => {
    if (state.profile?.uuid === previous.profile?.uuid) return;
    useConversationsStore.getState().reset();
    useThreadsStore.getState().reset();
  });
}

export function App() {
  const loadInfo = useAppStore((s) => s.loadInfo);
  const focused = useAppStore((s) => s.focused);
  const status = useSessionStore((s) => s.status);
  const restore = useSessionStore((s) => s.restore);
  const profile = useSessionStore((s) => s.profile);

  useEffect(() => {
    const stopResets = resetOnEveryProfileChange();
    void loadInfo();
    void restore();
    const stopPushes = subscribeToPushes();
    return () => {
      stopPushes();
      stopResets();
    };
  }, [loadInfo, restore]);

  return (
    <div className={focused ? 'app' : 'app app--blurred'}>
      {/* Keyed by person: the next person's messenger starts afresh and loads their own lists. */}
      {status === 'signedIn' && <Messenger key={profile?.uuid} />}
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
