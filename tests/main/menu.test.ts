import { describe, expect, it, vi } from 'vitest';
import { applicationMenuTemplate } from '../../electron/main/menu';
import type { MenuItemTemplate } from '../../electron/main/menu-template';

const menu = (platform: NodeJS.Platform, dev = false, command = vi.fn()) =>
  applicationMenuTemplate({ platform, dev, command });
const name = (item: MenuItemTemplate) => item.role ?? item.label ?? item.type;
const submenu = (template: MenuItemTemplate[], label: string) =>
  template.find((item) => item.label === label)!.submenu!;

describe('the application menu', () => {
  it("has the platform's standard menus and roles", () => {
    const linux = menu('linux');
    expect(linux.map(name)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(submenu(linux, 'File').map(name)).toEqual([
      'New conversation',
      'Switch conversation',
      'Settings',
      'separator',
      'quit',
    ]);
    expect(submenu(linux, 'Edit').map(name)).toEqual([
      'undo',
      'redo',
      'separator',
      'cut',
      'copy',
      'paste',
      'selectAll',
    ]);
    expect(submenu(linux, 'View').map(name)).toEqual([
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'separator',
      'togglefullscreen',
    ]);
    expect(submenu(linux, 'Window').map(name)).toEqual(['minimize', 'close']);
    expect(submenu(linux, 'Help').map(name)).toEqual(['Keyboard shortcuts']);
  });

  it('begins with the app menu on macOS, where Quit lives', () => {
    const mac = menu('darwin');
    expect(mac.map(name)).toEqual(['appMenu', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(submenu(mac, 'File').map(name)).not.toContain('quit');
    expect(submenu(mac, 'Window').map(name)).toEqual(['minimize', 'zoom']);
  });

  it('has Reload and DevTools only in dev mode', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(submenu(menu(platform), 'View').map(name)).not.toEqual(expect.arrayContaining(['reload']));
      expect(JSON.stringify(menu(platform))).not.toContain('toggleDevTools');
      expect(submenu(menu(platform, true), 'View').map(name)).toEqual(
        expect.arrayContaining(['reload', 'toggleDevTools']),
      );
    }
  });

  it("shows the page's shortcuts and leaves their keys to the page; a click hands it the command", () => {
    const command = vi.fn();
    const template = menu('linux', false, command);
    const items = [...submenu(template, 'File'), ...submenu(template, 'Help')].filter((item) => item.click);
    expect(items.map((item) => [item.label, item.accelerator, item.registerAccelerator])).toEqual([
      ['New conversation', 'CmdOrCtrl+N', false],
      ['Switch conversation', 'CmdOrCtrl+K', false],
      ['Settings', 'CmdOrCtrl+,', false],
      ['Keyboard shortcuts', 'CmdOrCtrl+/', false],
    ]);
    for (const item of items) item.click!();
    expect(command.mock.calls).toEqual([
      ['newConversation'],
      ['switchConversation'],
      ['openSettings'],
      ['showShortcuts'],
    ]);
  });
});
