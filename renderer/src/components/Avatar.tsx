import type { CSSProperties } from 'react';

/** Initials on a colour derived from the name: recognisable without loading any image. */
export function Avatar({ name }: { name: string }) {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => [...part][0]?.toUpperCase() ?? '')
    .join('');
  let hue = 0;
  for (const char of name) hue = (hue * 31 + (char.codePointAt(0) ?? 0)) % 360;
  return (
    <span className="avatar" aria-hidden="true" style={{ '--hue': hue } as CSSProperties}>
      {initials || '?'}
    </span>
  );
}
