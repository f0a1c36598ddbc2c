/** "3 unread" for a row's accessible name; '' when everything is read. */
export function unreadLabel(count: number): string {
  return count > 0 ? `${count} unread` : '';
}

/**
 * The number of unread messages as a pill. Hidden from screen readers: the row or option it
 * sits in says "N unread" in its own name, where it is heard with the conversation's name.
 */
export function UnreadBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span className="unread-badge" aria-hidden="true">
      {count > 99 ? '99+' : count}
    </span>
  );
}
