/**
 * The rules for text a person types (a message, a display name, a search), one set for every
 * side: the renderer checks a draft with them and the main process, the scripts and the API parse
 * with them, so what a screen lets through is what the service stores.
 */

/**
 * Draws nothing: Unicode White_Space, the Default_Ignorable_Code_Point set (zero-width space and
 * joiners, the BOM U+FEFF, U+2060, U+180E, the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0,
 * soft hyphen, variation selectors, tags…) and U+2800, the braille blank, a symbol drawn as an
 * empty cell.
 */
const INVISIBLE_ONLY = /^[\s\p{Default_Ignorable_Code_Point}\u2800]*$/u;
const LONE_SURROGATE = /\p{Cs}/u;
/** C0 and C1 controls and DEL: they drive terminals and printers, not text. Tab and newline are text. */
const CONTROL = /(?![\t\n])\p{Cc}/u;
/**
 * Embeddings, overrides and isolates reorder what follows them, so "invoice\u202egnp.exe" shows as
 * "invoiceexe.png". The marks U+200E, U+200F and U+061C stay allowed: right-to-left writing uses
 * them to place punctuation and digits, and they cannot turn a run of letters around.
 */
const DIRECTION_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;

/** True when the text would show as nothing at all. */
export const looksEmpty = (text: string): boolean => INVISIBLE_ONLY.test(text);

/** What makes `text` unfit to store, in words that follow its name ("the message …"), or undefined. */
export function characterProblem(text: string): string | undefined {
  if (LONE_SURROGATE.test(text)) return 'contains broken characters';
  if (CONTROL.test(text)) return 'contains a control character';
  if (DIRECTION_CONTROL.test(text)) return 'contains a character that reverses text direction';
  return undefined;
}
