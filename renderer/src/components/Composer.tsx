import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { checkMessageText, MAX_MESSAGE_LENGTH } from '../../../shared/message-text';

/** Counts code points, as the service does: an emoji is one character, not two. */
export const codePointLength = (text: string): number => [...text].length;

interface Props {
  onSend(text: string): void;
  placeholder?: string;
  disabled?: boolean;
}

/** Enter sends, Shift+Enter starts a new line; the limit is shown before it is reached. */
export function Composer({ onSend, placeholder = 'Write a message', disabled = false }: Props) {
  const [text, setText] = useState('');
  const length = codePointLength(text);
  const tooLong = length > MAX_MESSAGE_LENGTH;
  // The service's own rule: what it would refuse (empty, invisible-only, too long) is not sent.
  const checked = checkMessageText(text);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!checked.ok || disabled) return;
    onSend(checked.value);
    setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
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
        disabled={disabled}
        onChange={(event) => setText(event.target.value)}
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
