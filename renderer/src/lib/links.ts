/**
 * Web addresses in a message's text, found without any markup: the text is split into plain parts
 * and link parts, each still rendered as React text. Only http:// and https:// become links;
 * `javascript:`, `file:`, `data:` and bare domains stay text, so a message can never make the app
 * run or open anything but a web page (the main process checks the address again before opening).
 */
export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; url: string };

/** An address starts with its scheme after a non-word character (so "xhttp://" is not one). */
const CANDIDATE = /(?<![\w/])https?:\/\/[^\s<>"'`]+/giu;
/** Punctuation that ends a sentence rather than an address ("see https://x.org/a."). */
const TRAILING = new Set(['.', ',', '!', '?', ';', ':', '*', '_', '~']);
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
/** The IPC contract's bound for openLink. */
const MAX_URL_LENGTH = 4096;

const count = (text: string, char: string) => text.split(char).length - 1;

/** Drops sentence punctuation and closing brackets whose opener is not part of the address. */
function trimEnd(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url.at(-1);
    if (last === undefined) return url;
    const opener = CLOSERS[last];
    if (TRAILING.has(last) || (opener !== undefined && count(url, last) > count(url, opener))) {
      url = url.slice(0, -1);
      continue;
    }
    return url;
  }
}

function isWebAddress(url: string): boolean {
  if (url.length > MAX_URL_LENGTH) return false;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** Splits text into plain and link parts, in order; joined, their texts give back the input. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plainFrom = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const url = trimEnd(match[0]);
    if (!isWebAddress(url)) continue;
    const start = match.index;
    if (start > plainFrom) parts.push({ kind: 'text', text: text.slice(plainFrom, start) });
    parts.push({ kind: 'link', text: url, url });
    plainFrom = start + url.length;
  }
  if (plainFrom < text.length) parts.push({ kind: 'text', text: text.slice(plainFrom) });
  return parts;
}
