import './conversation.css';

/**
 * Shown while the reader is scrolled up and messages arrived: how many, and a way down. Its name
 * says both, so a screen reader hears "Jump to latest, 3 new messages".
 */
export function JumpToLatest({ count, onJump }: { count: number; onJump(): void }) {
  const label = `Jump to latest, ${count} new ${count === 1 ? 'message' : 'messages'}`;
  return (
    <button type="button" className="jump-to-latest" aria-label={label} onClick={onJump}>
      <span aria-hidden="true">↓</span> {count} new
    </button>
  );
}
