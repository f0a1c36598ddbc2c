import { useId, useLayoutEffect, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * What Tab reaches inside `root`, in order. Of a radio group only its checked radio counts, as
 * the browser's Tab order has it (the arrows move within the group).
 */
export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((element) => {
    if (!(element instanceof HTMLInputElement) || element.type !== 'radio' || element.checked) return true;
    const group = [...root.querySelectorAll<HTMLInputElement>('input[type="radio"]')].filter(
      (radio) => radio.name === element.name,
    );
    return !group.some((radio) => radio.checked);
  });
}

interface FocusScope {
  /** Where focus goes on open; when it gives nothing, the first focusable element of the scope, else the scope. */
  initialFocus?: (() => HTMLElement | null | undefined) | undefined;
  /** Where focus goes on close when the element that had it is gone (its pane was replaced). */
  fallback?: (() => HTMLElement | null | undefined) | undefined;
}

/**
 * Moves focus into `scope` when it appears and gives it back, when it goes, to the element that
 * had it. Layout effects on purpose: a dialog that replaces another in one commit runs after the
 * other's cleanup, so it records the element the first dialog came from, not the first dialog.
 * (Content of a scope must not use autoFocus, which would move focus before this records it.)
 */
export function useFocusScope(scope: RefObject<HTMLElement | null>, { initialFocus, fallback }: FocusScope) {
  // The options are read once, at open: later renders do not move focus again.
  const options = useRef({ initialFocus, fallback });
  useLayoutEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = scope.current;
    if (root) (options.current.initialFocus?.() ?? focusableIn(root)[0] ?? root).focus();
    return () => {
      const target =
        previous?.isConnected && previous !== document.body ? previous : options.current.fallback?.();
      target?.focus();
    };
  }, [scope]);
}

/** Keeps Tab and Shift+Tab cycling inside `root`; true when it moved focus itself. */
export function trapTab(event: KeyboardEvent, root: HTMLElement): boolean {
  const focusable = focusableIn(root);
  const first = focusable[0];
  const last = focusable.at(-1);
  if (!first || !last) {
    event.preventDefault();
    return true;
  }
  const active = document.activeElement;
  if (event.shiftKey && (active === first || active === root)) {
    event.preventDefault();
    last.focus();
    return true;
  }
  if (!event.shiftKey && (active === last || !root.contains(active))) {
    event.preventDefault();
    first.focus();
    return true;
  }
  return false;
}

interface DialogProps {
  /** The visible heading, which is also the dialog's accessible name. */
  title: string;
  onClose(): void;
  children: ReactNode;
  className?: string;
  initialFocus?: RefObject<HTMLElement | null>;
}

/**
 * The frame of the app's modal dialogs (switcher, shortcuts, settings): focus moves in on open,
 * Tab stays inside, Esc or a click outside closes, and focus returns where it was.
 */
export function Dialog({ title, onClose, children, className, initialFocus }: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const titleId = useId();
  // Focus goes to the first control of the content rather than to Close.
  useFocusScope(ref, {
    initialFocus: () => initialFocus?.current ?? (body.current && focusableIn(body.current)[0]),
  });

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      // Handled here: neither the page's key handler nor a pane behind sees it.
      event.preventDefault();
      event.stopPropagation();
      onClose();
    } else if (event.key === 'Tab' && ref.current) {
      trapTab(event, ref.current);
    }
  }

  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        className={className ? `dialog ${className}` : 'dialog'}
        onKeyDown={onKeyDown}
      >
        <header className="dialog__header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="link-button" onClick={onClose}>
            Close
          </button>
        </header>
        <div className="dialog__body" ref={body}>
          {children}
        </div>
      </div>
    </div>
  );
}
