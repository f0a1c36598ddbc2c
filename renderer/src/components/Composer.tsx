import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_MESSAGE_LENGTH } from '../../../shared/model';

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
  const empty = text.trim().length === 0;

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (empty || tooLong || disabled) return;
    onSend(text);
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
      <button type="submit" className="button button--primary" disabled={empty || tooLong || disabled}>
        Send
      </button>
    </form>
  );
}
