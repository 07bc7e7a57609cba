/** The whole page: sidebar, chat, branch map; keyboard shortcuts that never eat a typed character. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Sidebar } from './sidebar.js';
import { SearchPalette } from './palette.js';
import { ChatPane } from './chat-pane.js';
import { TreePanel } from './tree-panel.js';
import { editing, tree } from './chats.js';
import { announcement, info, notice } from './notices.js';
import { connection } from './socket.js';
import { restoreFocus } from './focus.js';

/** The sidebar is a drawer over the chat (the same width as style.css's phone layout). */
const PHONE = '(max-width: 720px)';
const isDrawer = () => window.matchMedia(PHONE).matches;

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
  const problem = notice.value;
  if (!problem) return null;
  return (
    <div class="notice" role="alert">
      <div>
        <span>{problem.text}</span>
        {problem.detail && (
          <details>
            <summary>Details</summary>
            <p class="error-detail">{problem.detail}</p>
          </details>
        )}
      </div>
      <button type="button" aria-label="Dismiss" onClick={() => (notice.value = null)}>
        ×
      </button>
    </div>
  );
}

function Info() {
  if (!info.value) return null;
  return (
    <div class="notice info" role="status">
      <span>{info.value}</span>
      <button type="button" aria-label="Dismiss" onClick={() => (info.value = null)}>
        ×
      </button>
    </div>
  );
}

export function App() {
  const [menuOpen, setMenuOpenState] = useState(false);
  const [searching, setSearching] = useState(false);
  // Read by the window's key handler, which is set up once.
  const open = useRef(false);
  const setMenuOpen = (value: boolean, giveBack = true) => {
    const was = open.current;
    open.current = value;
    setMenuOpenState(value);
    if (!isDrawer()) return;
    if (value && !was) {
      // Into the drawer: its current chat, or its first control.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.sidebar .chat-item.current .chat-open, .sidebar button')?.focus());
    } else if (!value && was && giveBack) {
      // Once the chat is no longer inert: back to the button that opened the drawer, unless the
      // person has moved on meanwhile.
      requestAnimationFrame(() => {
        const at = document.activeElement;
        if (!at || at === document.body || !at.isConnected || at.closest('.sidebar')) document.getElementById('menu-button')?.focus();
      });
    }
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        // Over whatever is open, except another dialog (its own question comes first).
        if (!document.querySelector('dialog[open]')) setSearching(true);
      } else if (e.key === 'Escape' && !document.querySelector('dialog[open]')) {
        // Wherever the focus is, Esc closes the innermost thing open: an edit, the drawer, a notice, the branch map.
        // The branch map, when the focus is in it, comes before a notice still on screen.
        const closeTree = () => {
          tree.value = null;
          restoreFocus(() => document.getElementById('branches-button'));
        };
        if (editing.value) editing.value = null;
        else if (open.current) {
          setMenuOpen(false);
        } else if (tree.value && document.activeElement?.closest('.tree')) closeTree();
        else if (notice.value || info.value) notice.value = info.value = null;
        else if (tree.value) closeTree();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  // The drawer is modal on a phone: what lies under it can be neither tapped nor tabbed to.
  const covered = menuOpen && isDrawer();
  return (
    <div class={`layout${menuOpen ? ' menu-open' : ''}${tree.value ? ' with-tree' : ''}`}>
      <a class="skip" href="#composer-input" inert={covered}>
        Skip to message box
      </a>
      <Sidebar onNavigate={() => setMenuOpen(false, false)} onClose={() => setMenuOpen(false)} onSearch={() => setSearching(true)} />
      {menuOpen && <div class="backdrop" aria-hidden="true" onClick={() => setMenuOpen(false)} />}
      <main class="main" inert={covered}>
        <StatusBar />
        <Notice />
        <Info />
        <ChatPane onMenu={() => setMenuOpen(!menuOpen)} menuOpen={menuOpen} />
      </main>
      {tree.value && <TreePanel />}
      {searching && <SearchPalette onClose={() => setSearching(false)} onNavigate={() => setMenuOpen(false, false)} />}
      <div class="sr-only" aria-live="polite" aria-atomic="true">
        {announcement.value}
      </div>
    </div>
  );
}
