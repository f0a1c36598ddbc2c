/**
 * The keymap, declared once: the key handler (Messenger) matches key presses against SHORTCUTS
 * and the shortcuts dialog lists the same entries, so the list shown is the list handled.
 * "Mod" is Cmd on macOS and Ctrl elsewhere.
 */
export type ShortcutAction =
  | 'switchConversation'
  | 'newConversation'
  | 'previousConversation'
  | 'nextConversation'
  | 'previousUnread'
  | 'nextUnread'
  | 'showShortcuts'
  | 'openSettings';

export interface Keys {
  /** KeyboardEvent.key, compared case-insensitively ('k', 'ArrowUp', '/', ','). */
  key: string;
  /** The physical key (KeyboardEvent.code), for layouts where `key` is another character. */
  code?: string;
  mod?: boolean;
  alt?: boolean;
  shift?: boolean;
}

export interface Shortcut {
  action: ShortcutAction;
  keys: Keys;
  description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  {
    action: 'switchConversation',
    keys: { key: 'k', code: 'KeyK', mod: true },
    description: 'Find and open a conversation',
  },
  {
    action: 'newConversation',
    keys: { key: 'n', code: 'KeyN', mod: true },
    description: 'Start a new conversation',
  },
  {
    action: 'previousConversation',
    keys: { key: 'ArrowUp', alt: true },
    description: 'Previous conversation in the list',
  },
  {
    action: 'nextConversation',
    keys: { key: 'ArrowDown', alt: true },
    description: 'Next conversation in the list',
  },
  {
    action: 'previousUnread',
    keys: { key: 'ArrowUp', alt: true, shift: true },
    description: 'Previous conversation with unread messages',
  },
  {
    action: 'nextUnread',
    keys: { key: 'ArrowDown', alt: true, shift: true },
    description: 'Next conversation with unread messages',
  },
  {
    action: 'showShortcuts',
    keys: { key: '/', code: 'Slash', mod: true },
    description: 'Show the keyboard shortcuts',
  },
  { action: 'openSettings', keys: { key: ',', code: 'Comma', mod: true }, description: 'Open the settings' },
];

/** Keys other parts handle themselves (the composer, the message list, every dialog): listed only. */
export const OTHER_KEYS: readonly { keys: Keys; description: string }[] = [
  { keys: { key: 'Enter' }, description: 'Send the message' },
  { keys: { key: 'Enter', shift: true }, description: 'New line in the message' },
  { keys: { key: 'PageUp' }, description: 'Scroll the messages up' },
  { keys: { key: 'PageDown' }, description: 'Scroll the messages down' },
  { keys: { key: 'Escape' }, description: 'Close a dialog or the new conversation' },
];

/** True on macOS, where Cmd (metaKey) is the modifier of shortcuts. */
export function isMacPlatform(nav: Navigator = navigator): boolean {
  const data = (nav as Navigator & { userAgentData?: { platform?: string } }).userAgentData;
  const platform = data?.platform || nav.platform || '';
  return /mac/i.test(platform);
}

type KeyPress = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

function keyMatches(keys: Keys, event: KeyPress): boolean {
  if (event.key.toLowerCase() === keys.key.toLowerCase()) return true;
  // Alt (Option on macOS) and non-Latin layouts change `key`; the physical key still says it.
  return keys.code !== undefined && event.code === keys.code;
}

/** The action a key press asks for, or undefined: modifiers must match exactly. */
export function matchShortcut(event: KeyPress, mac = isMacPlatform()): ShortcutAction | undefined {
  const mod = mac ? event.metaKey : event.ctrlKey;
  const otherMod = mac ? event.ctrlKey : event.metaKey;
  if (otherMod) return undefined;
  const found = SHORTCUTS.find(
    ({ keys }) =>
      Boolean(keys.mod) === mod &&
      Boolean(keys.alt) === event.altKey &&
      // Mod+/ needs Shift on many layouts; a shortcut without Alt or Shift of its own allows it there.
      (Boolean(keys.shift) === event.shiftKey || (keys.key === '/' && !keys.shift)) &&
      keyMatches(keys, event),
  );
  return found?.action;
}

const KEY_NAMES: Record<string, string> = {
  ArrowUp: '↑',
  ArrowDown: '↓',
  PageUp: 'Page Up',
  PageDown: 'Page Down',
  Escape: 'Esc',
};

/** The keys as the platform writes them: "Ctrl+K" elsewhere, "⌘K" on macOS. */
export function formatKeys(keys: Keys, mac = isMacPlatform()): string[] {
  const name = KEY_NAMES[keys.key] ?? (keys.key.length === 1 ? keys.key.toUpperCase() : keys.key);
  const parts: string[] = [];
  if (keys.mod) parts.push(mac ? '⌘' : 'Ctrl');
  if (keys.alt) parts.push(mac ? '⌥' : 'Alt');
  if (keys.shift) parts.push(mac ? '⇧' : 'Shift');
  parts.push(name);
  return parts;
}
