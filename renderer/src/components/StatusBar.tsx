import { useAppStore } from '../store/app';

export function StatusBar() {
  const info = useAppStore((state) => state.info);
  const error = useAppStore((state) => state.infoError);
  return (
    <footer className="status-bar" role="status">
      {info && (
        <span>
          {info.name} {info.version} · backend <strong>{info.target}</strong> ({info.region})
        </span>
      )}
      {error && <span className="status-bar__error">Cannot reach the app: {error.message}</span>}
      {!info && !error && <span>Starting…</span>}
    </footer>
  );
}
