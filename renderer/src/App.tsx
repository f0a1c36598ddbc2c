import { useEffect } from 'react';
import { useAppStore } from './store/app';
import { StatusBar } from './components/StatusBar';

export function App() {
  const loadInfo = useAppStore((state) => state.loadInfo);
  const setFocused = useAppStore((state) => state.setFocused);
  const focused = useAppStore((state) => state.focused);

  useEffect(() => {
    void loadInfo();
    return window.api.on('window.focus', ({ focused }) => setFocused(focused));
  }, [loadInfo, setFocused]);

  return (
    <div className={focused ? 'app' : 'app app--blurred'}>
      <main className="panes">
        <nav className="pane pane--groups" aria-label="Conversations">
          <header className="pane__header">
            <h1>Messages</h1>
          </header>
          <p className="pane__empty">No conversations yet.</p>
        </nav>
        <section className="pane pane--conversation" aria-label="Conversation">
          <p className="pane__empty">Select a conversation to read it.</p>
        </section>
      </main>
      <StatusBar />
    </div>
  );
}
