/** The whole page: sidebar, chat, branch map; keyboard shortcuts that never eat a typed character. */
import { useEffect, useState } from 'preact/hooks';
import { Sidebar } from './sidebar.js';
import { ChatPane } from './chat-pane.js';
import { TreePanel } from './tree-panel.js';
import { announcement, connection, editing, notice, tree } from './state.js';

function StatusBar() {
  const status = connection.status.value;
  if (status === 'connected') return null;
  return (
    <div class={`status status-${status}`} role="status">
      {status === 'connecting' ? 'Connecting…' : `Connection lost. Reconnecting${connection.retryIn.value ? ` in ${connection.retryIn.value} s` : ''}…`}
      {status === 'reconnecting' && (
        <button type="button" onClick={() => connection.reconnectNow()}>
          Reconnect now
        </button>
      )}
    </div>
  );
}

function Notice() {
  if (!notice.value) return null;
  return (
    <div class="notice" role="alert">
      <span>{notice.value}</span>
      <button type="button" aria-label="Dismiss" onClick={() => (notice.value = null)}>
        ×
      </button>
    </div>
  );
}

export function App() {
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setMenuOpen(true);
        document.getElementById('chat-filter')?.focus();
      } else if (e.key === 'Escape') {
        // Wherever the focus is: Esc leaves an edit, a notice, the menu.
        if (editing.value) editing.value = null;
        if (notice.value) notice.value = null;
        setMenuOpen(false);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div class={`layout${menuOpen ? ' menu-open' : ''}${tree.value ? ' with-tree' : ''}`}>
      <a class="skip" href="#composer-input">
        Skip to message box
      </a>
      <Sidebar onNavigate={() => setMenuOpen(false)} />
      <main class="main">
        <StatusBar />
        <Notice />
        <ChatPane onMenu={() => setMenuOpen(!menuOpen)} />
      </main>
      {tree.value && <TreePanel />}
      <div class="sr-only" aria-live="polite" aria-atomic="true">
        {announcement.value}
      </div>
    </div>
  );
}
