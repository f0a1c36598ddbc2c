import { create } from 'zustand';
import type { AppInfo } from '../../../shared/contract';
import type { ConversationView } from '../../../shared/messages';
import type { AppErrorShape } from '../../../shared/result';
import { exhaustive } from '../../../shared/exhaustive';
import type { MenuCommand } from '../../../shared/settings';
import type { ShortcutAction } from '../lib/shortcuts';
import { useConversationsStore } from './conversations';
import { useSessionStore } from './session';

/** The app's modal dialogs; at most one is open ('signOut': the question when messages wait to be sent). */
export type DialogName = 'switcher' | 'shortcuts' | 'settings' | 'signOut';

interface AppState {
  info: AppInfo | undefined;
  infoError: AppErrorShape | undefined;
  focused: boolean;
  /** The open dialog, if any. */
  dialog: DialogName | undefined;
  /** The new-conversation form is in the right pane instead of the open conversation. */
  composing: boolean;
  /** Counts requests to start a conversation, so one made while composing moves focus back to its first field. */
  composeRequests: number;
  loadInfo(): Promise<void>;
  setFocused(focused: boolean): void;
  openDialog(dialog: DialogName): void;
  closeDialog(): void;
  setComposing(composing: boolean): void;
  /** Opens the new-conversation form (or, already open, asks it to focus its first field). */
  startComposing(): void;
  /** Closes every dialog and form: what was open belonged to the person before. */
  resetView(): void;
}

export const useAppStore = create<AppState>()((set) => ({
  info: undefined,
  infoError: undefined,
  focused: true,
  dialog: undefined,
  composing: false,
  composeRequests: 0,
  async loadInfo() {
    const result = await window.api.getAppInfo();
    set(result.ok ? { info: result.value, infoError: undefined } : { infoError: result.error });
  },
  setFocused(focused) {
    set({ focused });
  },
  openDialog(dialog) {
    set({ dialog });
  },
  closeDialog() {
    set({ dialog: undefined });
  },
  setComposing(composing) {
    set({ composing });
  },
  startComposing() {
    set((state) => ({ dialog: undefined, composing: true, composeRequests: state.composeRequests + 1 }));
  },
  resetView() {
    set({ dialog: undefined, composing: false });
  },
}));

/**
 * The conversation `step` places away from `selected` in the list (1: below, -1: above), only
 * among those with unread messages when `unreadOnly`; undefined at the end of the list. With
 * nothing selected, the first one that fits.
 */
export function adjacentConversation(
  conversations: readonly ConversationView[],
  selected: string | undefined,
  step: 1 | -1,
  unreadOnly: boolean,
): string | undefined {
  const fits = (c: ConversationView) => !unreadOnly || c.unread_count > 0;
  const from = conversations.findIndex((c) => c.message_group_uuid === selected);
  if (from === -1) return conversations.find(fits)?.message_group_uuid;
  for (let index = from + step; index >= 0 && index < conversations.length; index += step) {
    const candidate = conversations[index]!;
    if (fits(candidate)) return candidate.message_group_uuid;
  }
  return undefined;
}

function selectAdjacent(step: 1 | -1, unreadOnly: boolean) {
  const { conversations, selected, select } = useConversationsStore.getState();
  const next = adjacentConversation(conversations, selected, step, unreadOnly);
  if (next) {
    useAppStore.getState().setComposing(false);
    select(next);
  }
}

// Every menu command is also a keyboard action: one vocabulary, one runner.
type Command = ShortcutAction | MenuCommand;

/**
 * Runs what a shortcut or the application menu asks for. Opening is idempotent (a menu
 * accelerator and the page's own key handler may both see one key press); what needs someone
 * signed in does nothing on the sign-in screens.
 */
export function runCommand(command: Command): void {
  const app = useAppStore.getState();
  const signedIn = useSessionStore.getState().status === 'signedIn';
  switch (command) {
    case 'showShortcuts':
      return app.openDialog('shortcuts');
    case 'openSettings':
      return app.openDialog('settings');
    default:
      if (signedIn) runMessengerCommand(command);
  }
}

function runMessengerCommand(command: Exclude<Command, 'showShortcuts' | 'openSettings'>): void {
  const app = useAppStore.getState();
  switch (command) {
    case 'switchConversation':
      return app.openDialog('switcher');
    case 'newConversation':
      return app.startComposing();
    case 'previousConversation':
      return selectAdjacent(-1, false);
    case 'nextConversation':
      return selectAdjacent(1, false);
    case 'previousUnread':
      return selectAdjacent(-1, true);
    case 'nextUnread':
      return selectAdjacent(1, true);
    default:
      return exhaustive(command);
  }
}
