import { useEffect } from 'react';
import { AuthScreens } from './components/auth/AuthScreens';
import { Messenger } from './components/Messenger';
import { QuickSwitcher } from './components/QuickSwitcher';
import { SettingsView } from './components/SettingsView';
import { ShortcutsDialog } from './components/ShortcutsDialog';
import { SignOutDialog } from './components/SignOutDialog';
import { StatusBar } from './components/StatusBar';
import { matchShortcut } from './lib/shortcuts';
import { runCommand, useAppStore, type DialogName } from './store/app';
import { useConnectionStore } from './store/connection';
import { useConnectivityStore } from './store/connectivity';
import { useConversationsStore } from './store/conversations';
import { useSessionStore } from './store/session';
import { useSettingsStore } from './store/settings';
import { useThreadsStore } from './store/threads';
import { exhaustive } from '../../shared/exhaustive';

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
    window.api.on('outbox.settled', ({ groupUuid, messageUuid, outcome }) =>
      useThreadsStore.getState().settle(groupUuid, messageUuid, outcome),
    ),
    window.api.on('conversations.removed', ({ groupUuids }) => removeConversations(groupUuids)),
    window.api.on('connectivity.changed', (connectivity) =>
      useConnectivityStore.getState().changed(connectivity),
    ),
    window.api.on('conversation.open', ({ groupUuid }) => openFromNotification(groupUuid)),
    window.api.on('menu.command', ({ command }) => runCommand(command)),
  ];
  return () => unsubscribe.forEach((stop) => stop());
}

/** Conversations I may no longer read: gone from the list and the threads; an open one closes. */
function removeConversations(groupUuids: string[]) {
  const { selected, remove } = useConversationsStore.getState();
  remove(groupUuids);
  useThreadsStore.getState().remove(groupUuids);
  if (selected !== undefined && groupUuids.includes(selected)) {
    void window.api.watchConversation({ groupUuid: null });
  }
}

/** A clicked notification: its conversation on screen, whatever dialog or form was in the way. */
function openFromNotification(groupUuid: string) {
  useAppStore.getState().resetView();
  useConversationsStore.getState().select(groupUuid);
}

/** The page's shortcuts (lib/shortcuts.ts); keys a dialog or the composer handled are left alone. */
function listenToShortcuts(): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.isComposing) return;
    const action = matchShortcut(event);
    if (!action) return;
    event.preventDefault();
    runCommand(action);
  };
  window.addEventListener('keydown', onKeyDown);
  return () => window.removeEventListener('keydown', onKeyDown);
}

/** The open dialog; the switcher only for someone signed in. */
function OpenDialog({ dialog, signedIn }: { dialog: DialogName; signedIn: boolean }) {
  switch (dialog) {
    case 'switcher':
      return signedIn ? <QuickSwitcher /> : null;
    case 'shortcuts':
      return <ShortcutsDialog />;
    case 'settings':
      return <SettingsView />;
    case 'signOut':
      return signedIn ? <SignOutDialog /> : null;
    default:
      return exhaustive(dialog);
  }
}

/** An installed app with nowhere to connect yet opens Settings rather than fail to reach services. */
async function openSettingsUnlessConfigured(): Promise<void> {
  const connection = await useConnectionStore.getState().load();
  if (connection && !connection.configured) useAppStore.getState().openDialog('settings');
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
    useAppStore.getState().resetView();
  });
}

export function App() {
  const loadInfo = useAppStore((s) => s.loadInfo);
  const focused = useAppStore((s) => s.focused);
  const status = useSessionStore((s) => s.status);
  const restore = useSessionStore((s) => s.restore);
  const profile = useSessionStore((s) => s.profile);
  const dialog = useAppStore((s) => s.dialog);

  useEffect(() => {
    const stopResets = resetOnEveryProfileChange();
    void loadInfo();
    void restore();
    // Early, so the settings dialog opens with its controls (and focus on the theme) at once.
    void useSettingsStore.getState().load();
    void openSettingsUnlessConfigured();
    const stopPushes = subscribeToPushes();
    const stopShortcuts = listenToShortcuts();
    return () => {
      stopShortcuts();
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
      {dialog && <OpenDialog dialog={dialog} signedIn={status === 'signedIn'} />}
    </div>
  );
}
