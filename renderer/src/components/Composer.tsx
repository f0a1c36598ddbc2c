import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { checkMessageText, MAX_MESSAGE_LENGTH } from '../../../shared/message-text';
import './conversation.css';

/** Counts code points, as the service does: an emoji is one character, not two. */
export const codePointLength = (text: string): number => [...text].length;

/** Typing pauses this long (ms) before the draft is saved. */
export const DRAFT_SAVE_DELAY_MS = 400;

interface Props {
  onSend(text: string): void;
  placeholder?: string;
  disabled?: boolean;
  /** The conversation written in: its draft is loaded and kept (none for a new conversation). */
  groupUuid?: string | undefined;
  /** PageUp (-1) or PageDown (1) while typing: the caller scrolls the messages. */
  onPage?(direction: -1 | 1): void;
}

/**
 * Enter sends, Shift+Enter starts a new line; the limit is shown before it is reached. In a
 * conversation, unsent text is a draft the main process keeps: loaded on opening, saved a moment
 * after typing stops and at once on leaving.
 */
export function Composer({
  onSend,
  placeholder = 'Write a message',
  disabled = false,
  groupUuid,
  onPage,
}: Props) {
  const [text, setText] = useState('');
  const drafts = useDraft(groupUuid, setText);
  const length = codePointLength(text);
  const tooLong = length > MAX_MESSAGE_LENGTH;
  // The service's own rule: what it would refuse (empty, invisible-only, too long) is not sent.
  const checked = checkMessageText(text);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!checked.ok || disabled) return;
    onSend(checked.value);
    setText('');
    // The main process forgets the stored draft once the send succeeds.
    drafts.cancel();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'Enter' && !event.shiftKey) submit(event);
    const plain = !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey;
    if (onPage && plain && (event.key === 'PageUp' || event.key === 'PageDown')) {
      event.preventDefault();
      onPage(event.key === 'PageUp' ? -1 : 1);
    }
  }

  return (
    <form className="composer" onSubmit={submit}>
      <textarea
        className="composer__input"
        aria-label="Message"
        placeholder={placeholder}
        value={text}
        rows={Math.min(6, text.split('\n').length)}
        dir="auto"
        spellCheck
        disabled={disabled}
        onChange={(event) => {
          setText(event.target.value);
          drafts.typed(event.target.value);
        }}
        onKeyDown={onKeyDown}
      />
      {length > MAX_MESSAGE_LENGTH - 100 && (
        <span
          className={tooLong ? 'composer__count composer__count--over' : 'composer__count'}
          aria-live="polite"
        >
          {length}/{MAX_MESSAGE_LENGTH}
        </span>
      )}
      <button type="submit" className="button button--primary" disabled={!checked.ok || disabled}>
        Send
      </button>
    </form>
  );
}

/**
 * A conversation's draft: read when the conversation opens (unless the person typed first),
 * saved debounced while typing, flushed when the conversation changes or the composer goes.
 */
function useDraft(groupUuid: string | undefined, setText: (text: string) => void) {
  const pending = useRef<{ groupUuid: string; text: string } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const typedSinceOpen = useRef(false);

  const cancel = () => {
    clearTimeout(timer.current);
    pending.current = null;
  };
  const flush = () => {
    const save = pending.current;
    cancel();
    if (save) void window.api.saveDraft(save);
  };

  useEffect(() => {
    if (!groupUuid) return;
    let current = true;
    typedSinceOpen.current = false;
    setText('');
    void window.api.getDraft({ groupUuid }).then((result) => {
      if (current && result.ok && !typedSinceOpen.current) setText(result.value);
    });
    return () => {
      current = false;
      flush();
    };
    // flush and setText only touch refs and a state setter: the conversation is the only input.
  }, [groupUuid]);

  return {
    cancel,
    typed(text: string) {
      typedSinceOpen.current = true;
      if (!groupUuid) return;
      pending.current = { groupUuid, text };
      clearTimeout(timer.current);
      timer.current = setTimeout(flush, DRAFT_SAVE_DELAY_MS);
    },
  };
}
