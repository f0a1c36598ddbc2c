import { formatKeys, isMacPlatform, OTHER_KEYS, SHORTCUTS, type Keys } from '../lib/shortcuts';
import { useAppStore } from '../store/app';
import { Dialog } from './Dialog';

function KeyCombo({ keys, mac }: { keys: Keys; mac: boolean }) {
  const parts = formatKeys(keys, mac);
  return (
    <span className="keys">
      {parts.map((part, index) => (
        <span key={part}>
          {index > 0 && !mac && '+'}
          <kbd>{part}</kbd>
        </span>
      ))}
    </span>
  );
}

function KeyTable({
  caption,
  rows,
  mac,
}: {
  caption: string;
  rows: readonly { keys: Keys; description: string }[];
  mac: boolean;
}) {
  return (
    <table className="shortcuts">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Action</th>
          <th scope="col">Keys</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ keys, description }) => (
          <tr key={description}>
            <td>{description}</td>
            <td>
              <KeyCombo keys={keys} mac={mac} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Ctrl/Cmd+/: every key the app handles, read from the same keymap the key handler uses. */
export function ShortcutsDialog() {
  const closeDialog = useAppStore((s) => s.closeDialog);
  const mac = isMacPlatform();
  return (
    <Dialog title="Keyboard shortcuts" onClose={closeDialog} className="shortcuts-dialog">
      <KeyTable caption="Anywhere" rows={SHORTCUTS} mac={mac} />
      <KeyTable caption="Writing and reading" rows={OTHER_KEYS} mac={mac} />
    </Dialog>
  );
}
