import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ConversationView } from '../../../shared/messages';
import { useAppStore } from '../store/app';
import { useConversationsStore } from '../store/conversations';
import { Avatar } from './Avatar';
import { Dialog } from './Dialog';
import { UnreadBadge, unreadLabel } from './UnreadBadge';

/** How many matches the list shows: enough to pick from, few enough to read. */
const MAX_RESULTS = 50;

/** Text compared without case or accents: "zoe" finds "Zoë", "ANDR" finds "Andrés". */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/** My loaded conversations whose name or handle contains the query, in the list's order. */
export function matchConversations(
  conversations: readonly ConversationView[],
  query: string,
): ConversationView[] {
  const wanted = foldForSearch(query.trim().replace(/^@/, ''));
  const matches = wanted
    ? conversations.filter(
        (c) => foldForSearch(c.display_name).includes(wanted) || foldForSearch(c.handle).includes(wanted),
      )
    : conversations;
  return matches.slice(0, MAX_RESULTS);
}

/** What a screen reader hears for an option: "Andrés Núñez, @anunez, 4 unread". */
function optionLabel(conversation: ConversationView): string {
  return [conversation.display_name, `@${conversation.handle}`, unreadLabel(conversation.unread_count)]
    .filter(Boolean)
    .join(', ');
}

/**
 * Ctrl/Cmd+K: find one of my conversations by name or handle and open it, without the mouse.
 * The search box keeps focus; Up and Down move the active option (aria-activedescendant).
 */
export function QuickSwitcher() {
  const conversations = useConversationsStore((s) => s.conversations);
  const select = useConversationsStore((s) => s.select);
  const closeDialog = useAppStore((s) => s.closeDialog);
  const setComposing = useAppStore((s) => s.setComposing);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const results = useMemo(() => matchConversations(conversations, query), [conversations, query]);
  const current = results[Math.min(active, results.length - 1)];
  const optionId = (c: ConversationView) => `${listId}-${c.message_group_uuid}`;

  function open(conversation: ConversationView) {
    setComposing(false);
    select(conversation.message_group_uuid);
    closeDialog();
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.nativeEvent.isComposing) return;
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1 };
    const move = moves[event.key];
    if (move !== undefined && results.length > 0) {
      event.preventDefault();
      setActive((index) => (Math.min(index, results.length - 1) + move + results.length) % results.length);
    } else if (event.key === 'Enter' && current) {
      event.preventDefault();
      open(current);
    }
  }

  return (
    <Dialog title="Switch conversation" onClose={closeDialog} className="switcher" initialFocus={input}>
      <input
        ref={input}
        className="field__input switcher__input"
        role="combobox"
        aria-label="Search conversations"
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={current ? optionId(current) : undefined}
        placeholder="Name or handle"
        spellCheck={false}
        autoComplete="off"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} className="switcher__results" role="listbox" aria-label="Conversations">
        {results.map((conversation) => (
          <li
            key={conversation.message_group_uuid}
            id={optionId(conversation)}
            role="option"
            aria-selected={conversation === current}
            className={
              conversation === current ? 'switcher__option switcher__option--active' : 'switcher__option'
            }
            // The search box keeps focus: a click picks without moving it first.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => open(conversation)}
          >
            <span className="sr-only">{optionLabel(conversation)}</span>
            <span className="switcher__visual" aria-hidden="true">
              <Avatar name={conversation.display_name} />
              <span className="switcher__who">
                <span
                  className={
                    conversation.unread_count > 0 ? 'switcher__name switcher__name--unread' : 'switcher__name'
                  }
                >
                  {conversation.display_name}
                </span>
                <span className="conversation__handle">@{conversation.handle}</span>
              </span>
              <UnreadBadge count={conversation.unread_count} />
            </span>
          </li>
        ))}
      </ul>
      {results.length === 0 && (
        <p className="switcher__none" aria-live="polite">
          {conversations.length === 0 ? 'No conversations yet.' : 'No conversation matches.'}
        </p>
      )}
    </Dialog>
  );
}
