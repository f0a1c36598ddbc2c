import { useEffect } from 'react';
import { useNow } from '../lib/use-now';
import { useConnectivityStore } from '../store/connectivity';

/** "Next try in 12 s" while the next automatic try is ahead; nothing once it is due. */
function NextTry({ retryAt }: { retryAt: number }) {
  const now = useNow(1_000).getTime();
  const seconds = Math.ceil((retryAt - now) / 1_000);
  if (seconds <= 0) return null;
  // Not announced: a live region that changes every second would talk over everything else.
  return (
    <span className="offline-banner__next" aria-live="off">
      Next try in {seconds} s
    </span>
  );
}

/**
 * While DynamoDB cannot be reached: says so (sends wait in the outbox) and offers "Try now". The
 * live region is there from the start (empty while online), so screen readers announce the
 * banner when it appears, politely.
 */
export function OfflineBanner() {
  const connectivity = useConnectivityStore((s) => s.connectivity);
  const retrying = useConnectivityStore((s) => s.retrying);
  const load = useConnectivityStore((s) => s.load);
  const retryNow = useConnectivityStore((s) => s.retryNow);

  useEffect(() => {
    void load();
  }, [load]);

  const offline = connectivity?.online === false;
  return (
    <div role="status" aria-live="polite" className={offline ? 'offline-banner' : 'offline-banner--none'}>
      {offline && (
        <>
          <span className="offline-banner__text">
            Offline: messages will be sent when the connection is back
          </span>
          {connectivity.retryAt !== null && !retrying && <NextTry retryAt={connectivity.retryAt} />}
          {/* aria-disabled, not disabled: a disabled button loses the keyboard focus it had. */}
          <button
            type="button"
            className="button"
            aria-disabled={retrying}
            onClick={() => {
              if (!retrying) void retryNow();
            }}
          >
            Try now
          </button>
        </>
      )}
    </div>
  );
}
