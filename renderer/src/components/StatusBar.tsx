import { useAppStore } from '../store/app';

/** The app's name, version and backend, or why the main process cannot be reached; announced politely. */
export function StatusBar() {
  const info = useAppStore((state) => state.info);
  const error = useAppStore((state) => state.infoError);
  return (
    // The live region inside the footer: a footer (contentinfo) may not take the status role.
    <footer className="status-bar">
      <div role="status">
        {info && (
          <span>
            {info.name} {info.version} · backend <strong>{info.target}</strong> ({info.region})
          </span>
        )}
        {error && <span className="status-bar__error">Cannot reach the app: {error.message}</span>}
        {!info && !error && <span>Starting…</span>}
      </div>
    </footer>
  );
}
