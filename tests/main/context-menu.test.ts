import { describe, expect, it } from 'vitest';
import {
  attachContextMenu,
  contextMenuTemplate,
  type ContextMenuParams,
} from '../../electron/main/context-menu';
import type { MenuItemTemplate } from '../../electron/main/menu-template';
import { FakeWebContents } from './support/fake-electron';

const allowed = {
  canUndo: true,
  canRedo: false,
  canCut: true,
  canCopy: true,
  canPaste: true,
  canSelectAll: true,
};
const params = (over: Partial<ContextMenuParams> = {}): ContextMenuParams => ({
  isEditable: false,
  selectionText: '',
  misspelledWord: '',
  dictionarySuggestions: [],
  editFlags: allowed,
  ...over,
});
const names = (template: MenuItemTemplate[]) => template.map((item) => item.role ?? item.label ?? item.type);

describe('the context menu', () => {
  it('offers the suggestions for a misspelled word in a text field, and replaces it with one', () => {
    const contents = new FakeWebContents();
    const template = contextMenuTemplate(
      params({ isEditable: true, misspelledWord: 'helo', dictionarySuggestions: ['hello', 'halo'] }),
      contents,
    );
    expect(names(template)).toEqual([
      'hello',
      'halo',
      'separator',
      'Add to dictionary',
      'separator',
      'undo',
      'redo',
      'separator',
      'cut',
      'copy',
      'paste',
      'separator',
      'selectAll',
    ]);
    template[1]!.click!();
    expect(contents.replaceMisspelling).toHaveBeenCalledWith('halo');
    template.find((item) => item.label === 'Add to dictionary')!.click!();
    expect(contents.session.addWordToSpellCheckerDictionary).toHaveBeenCalledWith('helo');
  });

  it('says so when the spell checker has no suggestion', () => {
    const template = contextMenuTemplate(
      params({ isEditable: true, misspelledWord: 'qzxv' }),
      new FakeWebContents(),
    );
    expect(template[0]).toEqual({ label: 'No suggestions', enabled: false });
  });

  it('offers the editing commands in a text field, enabled as the field allows', () => {
    const template = contextMenuTemplate(params({ isEditable: true }), new FakeWebContents());
    expect(names(template)).toEqual([
      'undo',
      'redo',
      'separator',
      'cut',
      'copy',
      'paste',
      'separator',
      'selectAll',
    ]);
    expect(template.find((item) => item.role === 'redo')!.enabled).toBe(false);
  });

  it('offers Copy for selected text in the messages, and nothing elsewhere', () => {
    const contents = new FakeWebContents();
    expect(names(contextMenuTemplate(params({ selectionText: 'a message' }), contents))).toEqual(['copy']);
    expect(contextMenuTemplate(params({ selectionText: '  ' }), contents)).toEqual([]);
    expect(contextMenuTemplate(params({ misspelledWord: 'helo' }), contents)).toEqual([]);
  });

  it('opens a menu on a right-click only when it has items', () => {
    const contents = new FakeWebContents();
    const opened: MenuItemTemplate[][] = [];
    attachContextMenu(contents, (template) => opened.push(template));
    contents.emit('context-menu', {}, params());
    contents.emit('context-menu', {}, params({ selectionText: 'copy me' }));
    expect(opened.map(names)).toEqual([['copy']]);
  });
});
