import { separator, type MenuItemTemplate } from './menu-template';

/** The slice of Electron's ContextMenuParams the menu reads. */
export interface ContextMenuParams {
  isEditable: boolean;
  selectionText: string;
  /** The word under the pointer when the spell checker flags it, else ''. */
  misspelledWord: string;
  dictionarySuggestions: string[];
  editFlags: {
    canUndo: boolean;
    canRedo: boolean;
    canCut: boolean;
    canCopy: boolean;
    canPaste: boolean;
    canSelectAll: boolean;
  };
}

/** What the spelling items act on: the web contents the menu was opened in. */
export interface SpellingTarget {
  replaceMisspelling(word: string): void;
  session: { addWordToSpellCheckerDictionary(word: string): boolean };
}

/** A web contents that can open a context menu (structurally, Electron's WebContents). */
export interface ContextMenuSource extends SpellingTarget {
  on(event: 'context-menu', listener: (event: unknown, params: ContextMenuParams) => void): unknown;
}

const MAX_SUGGESTIONS = 5;

function spellingItems(params: ContextMenuParams, target: SpellingTarget): MenuItemTemplate[] {
  const word = params.misspelledWord;
  if (!params.isEditable || !word) return [];
  const suggestions = params.dictionarySuggestions.slice(0, MAX_SUGGESTIONS);
  return [
    ...(suggestions.length > 0
      ? suggestions.map((suggestion) => ({
          label: suggestion,
          click: () => target.replaceMisspelling(suggestion),
        }))
      : [{ label: 'No suggestions', enabled: false }]),
    separator,
    { label: 'Add to dictionary', click: () => target.session.addWordToSpellCheckerDictionary(word) },
    separator,
  ];
}

/**
 * The right-click menu, from what was clicked: in a text field, the spell checker's suggestions
 * for a flagged word and "Add to dictionary", then the editing commands; on selected text in the
 * messages, Copy. Anywhere else nothing (an empty template opens no menu).
 */
export function contextMenuTemplate(params: ContextMenuParams, target: SpellingTarget): MenuItemTemplate[] {
  const flags = params.editFlags;
  if (params.isEditable) {
    return [
      ...spellingItems(params, target),
      { role: 'undo', enabled: flags.canUndo },
      { role: 'redo', enabled: flags.canRedo },
      separator,
      { role: 'cut', enabled: flags.canCut },
      { role: 'copy', enabled: flags.canCopy },
      { role: 'paste', enabled: flags.canPaste },
      separator,
      { role: 'selectAll', enabled: flags.canSelectAll },
    ];
  }
  if (params.selectionText.trim() !== '') return [{ role: 'copy' }];
  return [];
}

/** Opens the context menu on each right-click in `contents`; `popup` builds and shows it. */
export function attachContextMenu(
  contents: ContextMenuSource,
  popup: (template: MenuItemTemplate[]) => void,
): void {
  contents.on('context-menu', (_event, params) => {
    const template = contextMenuTemplate(params, contents);
    if (template.length > 0) popup(template);
  });
}
