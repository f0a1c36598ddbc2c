import { memo, useMemo, type MouseEvent } from 'react';
import { splitLinks } from '../lib/links';
import './conversation.css';

/**
 * A message's text with its web addresses as links, always as React text (never markup). A click
 * (or a middle click) never navigates the app's window: the address goes to the main process,
 * which checks it and opens it in the system browser. Memoized: the split runs once per message,
 * not on every scroll.
 */
export const MessageText = memo(function MessageText({ text }: { text: string }) {
  const parts = useMemo(() => splitLinks(text), [text]);
  return (
    <p className="bubble__text" dir="auto">
      {parts.map((part, index) =>
        part.kind === 'link' ? (
          <a
            key={index}
            className="message-link"
            href={part.url}
            onClick={(event) => openLink(event, part.url)}
            onAuxClick={(event) => openLink(event, part.url)}
          >
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </p>
  );
});

function openLink(event: MouseEvent<HTMLAnchorElement>, url: string) {
  event.preventDefault();
  // A right click (auxclick button 2) opens the context menu, not the link.
  if (event.type === 'auxclick' && event.button !== 1) return;
  void window.api.openLink({ url });
}
