import type { MenuCommand } from '../../shared/settings';
import { separator, type MenuItemTemplate } from './menu-template';

export interface ApplicationMenuOptions {
  platform: NodeJS.Platform;
  /** Not packaged: Reload and DevTools are in the View menu. */
  dev: boolean;
  /** Hands a command to the page (the menu.command event). */
  command(command: MenuCommand): void;
}

/**
 * An item for something the page does itself on a key press (it listens for the same keys): the
 * menu shows the shortcut but does not take the key, so the page gets it whether or not the menu
 * exists; a click asks the page for the same thing.
 */
const pageCommand = (
  label: string,
  accelerator: string,
  command: MenuCommand,
  send: (command: MenuCommand) => void,
): MenuItemTemplate => ({ label, accelerator, registerAccelerator: false, click: () => send(command) });

/**
 * The application menu with the platform's standard roles (so Cut, Copy, Paste and zoom work as
 * everywhere else, and macOS gets its app menu), plus the app's own commands. Reload and DevTools
 * exist only in dev mode: in a packaged app they would only lose the page's state or invite
 * someone to paste code into its console.
 */
export function applicationMenuTemplate({
  platform,
  dev,
  command,
}: ApplicationMenuOptions): MenuItemTemplate[] {
  const mac = platform === 'darwin';
  const file: MenuItemTemplate = {
    label: 'File',
    submenu: [
      pageCommand('New conversation', 'CmdOrCtrl+N', 'newConversation', command),
      pageCommand('Switch conversation', 'CmdOrCtrl+K', 'switchConversation', command),
      pageCommand('Settings', 'CmdOrCtrl+,', 'openSettings', command),
      separator,
      // On macOS Quit is in the app menu; File ends with closing the window there.
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemTemplate = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemTemplate = {
    label: 'View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
      ...(dev ? [separator, { role: 'reload' } as const, { role: 'toggleDevTools' } as const] : []),
    ],
  };
  const window: MenuItemTemplate = {
    label: 'Window',
    submenu: [{ role: 'minimize' }, mac ? { role: 'zoom' } : { role: 'close' }],
  };
  const help: MenuItemTemplate = {
    label: 'Help',
    submenu: [pageCommand('Keyboard shortcuts', 'CmdOrCtrl+/', 'showShortcuts', command)],
  };
  return [...(mac ? [{ role: 'appMenu' } as const] : []), file, edit, view, window, help];
}
