import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { newMessageUuid } from '../../../shared/message-uuid';
import type { Person } from '../../../shared/model';
import { useAppStore } from '../store/app';
import { useConversationsStore } from '../store/conversations';
import { useThreadsStore } from '../store/threads';
import { Avatar } from './Avatar';
import { Composer } from './Composer';
import { useFocusScope } from './Dialog';

interface Props {
  onClose(): void;
  /** Where focus goes on close when the element it came from is gone (the pane it replaced). */
  returnFocusTo?: () => HTMLElement | null;
}

/**
 * Pattern D from the UI: find someone by handle or name, then write the first message. Opens
 * with focus in its first field (Ctrl/Cmd+N again puts it back there); Esc closes it and gives
 * focus back.
 */
export function NewConversation({ onClose, returnFocusTo }: Props) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Person[]>([]);
  const [chosen, setChosen] = useState<Person | undefined>();
  const [error, setError] = useState<string | undefined>();
  const upsert = useConversationsStore((s) => s.upsert);
  const select = useConversationsStore((s) => s.select);
  const receive = useThreadsStore((s) => s.receive);
  const composeRequests = useAppStore((s) => s.composeRequests);
  const root = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const firstField = () => search.current ?? root.current?.querySelector('textarea');
  useFocusScope(root, { initialFocus: firstField, fallback: returnFocusTo });

  // Choosing someone (or "change") replaces the field that had focus; so does Ctrl/Cmd+N again.
  useEffect(() => {
    firstField()?.focus();
  }, [chosen, composeRequests]);

  useEffect(() => {
    const trimmed = query.trim();
    if (!trimmed) {
      setResults([]);
      return;
    }
    let current = true;
    const timer = setTimeout(async () => {
      const result = await window.api.searchUsers({ query: trimmed });
      if (!current) return;
      if (result.ok) {
        setResults(result.value);
        setError(undefined);
      } else {
        setError(result.error.message);
      }
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);

  async function start(text: string) {
    if (!chosen) return;
    const result = await window.api.startConversation({
      handle: chosen.handle,
      messageUuid: newMessageUuid(),
      text,
    });
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    upsert([result.value.group]);
    receive(result.value.message_group_uuid, [result.value.message]);
    select(result.value.message_group_uuid);
    onClose();
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'Escape' || event.nativeEvent.isComposing) return;
    event.preventDefault();
    onClose();
  }

  return (
    <div
      ref={root}
      className="new-conversation"
      role="dialog"
      aria-label="New conversation"
      onKeyDown={onKeyDown}
    >
      <header className="pane__header new-conversation__header">
        <h2>New conversation</h2>
        <button type="button" className="link-button" onClick={onClose}>
          Cancel
        </button>
      </header>
      {chosen ? (
        <div className="new-conversation__chosen">
          <p>
            To <strong>{chosen.display_name}</strong>{' '}
            <span className="conversation__handle">@{chosen.handle}</span>{' '}
            <button type="button" className="link-button" onClick={() => setChosen(undefined)}>
              change
            </button>
          </p>
        </div>
      ) : (
        <>
          <label className="field new-conversation__search">
            <span className="field__label">Find someone by handle or name</span>
            <input
              ref={search}
              className="field__input"
              value={query}
              spellCheck={false}
              onChange={(event) => setQuery(event.target.value)}
              aria-label="Search people"
            />
          </label>
          <ul className="people" aria-label="People">
            {results.map((person) => (
              <li key={person.uuid}>
                <button type="button" className="person" onClick={() => setChosen(person)}>
                  <Avatar name={person.display_name} />
                  <span>
                    <span className="person__name">{person.display_name}</span>
                    <span className="conversation__handle">@{person.handle}</span>
                  </span>
                </button>
              </li>
            ))}
            {query.trim() && results.length === 0 && !error && (
              <li className="people__none">No one found.</li>
            )}
          </ul>
        </>
      )}
      {error && (
        <p className="auth-card__error" role="alert">
          {error}
        </p>
      )}
      <div className="new-conversation__spacer" />
      <Composer
        onSend={(text) => void start(text)}
        disabled={!chosen}
        placeholder="Write the first message"
      />
    </div>
  );
}
