/**
 * A menu as plain data, the subset of Electron's MenuItemConstructorOptions the app uses, so the
 * menus are built (and tested) without Electron; index.ts hands them to Menu.buildFromTemplate.
 */
export type MenuRole =
  | 'appMenu'
  | 'quit'
  | 'close'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'reload'
  | 'toggleDevTools'
  | 'minimize'
  | 'zoom';

export interface MenuItemTemplate {
  label?: string;
  role?: MenuRole;
  type?: 'normal' | 'separator' | 'submenu';
  accelerator?: string;
  /** False: the accelerator is shown, but the key press reaches the page, which handles it. */
  registerAccelerator?: boolean;
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuItemTemplate[];
}

export const separator: MenuItemTemplate = { type: 'separator' };
