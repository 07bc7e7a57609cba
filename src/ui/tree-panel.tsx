/** A map of every branch of the chat: jump to any message, see which branch is selected. */
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { TreeNode } from './protocol.js';
import { tree } from './chats.js';
import { selectMessage } from './actions.js';
import { Icon } from './icons.js';
import { opener, restoreFocus } from './focus.js';
import { plainText } from './format.js';

interface Row {
  node: TreeNode;
  /** How many forks above this row: a linear chat stays flat, each fork indents its branches once. */
  level: number;
  /** Set on a message with more than one child: how many versions follow it. */
  versions?: number;
}

/**
 * Depth-first, children in the order the chat keeps them (stable across jumps), indented only
 * where the chat forks.
 */
function rows(nodes: TreeNode[]): Row[] {
  const kids = new Map<string | null, TreeNode[]>();
  for (const n of nodes) kids.set(n.parent_id, [...(kids.get(n.parent_id) ?? []), n]);
  const ids = new Set(nodes.map((n) => n.id));
  const roots = nodes.filter((n) => n.parent_id === null || !ids.has(n.parent_id));
  const out: Row[] = [];
  const stack: { node: TreeNode; level: number }[] = [...roots].reverse().map((node) => ({ node, level: roots.length > 1 ? 1 : 0 }));
  while (stack.length) {
    const { node, level } = stack.pop()!;
    const children = kids.get(node.id) ?? [];
    out.push({ node, level, ...(children.length > 1 ? { versions: children.length } : {}) });
    const next = children.length > 1 ? level + 1 : level;
    for (const child of [...children].reverse()) stack.push({ node: child, level: next });
  }
  return out;
}

export function TreePanel() {
  const nodes = tree.value ?? [];
  const panel = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    // The panel takes the focus as it opens (before a key can go elsewhere) and gives it back when it goes.
    const from = opener();
    panel.current?.focus();
    return () => restoreFocus(() => (from?.isConnected ? from : document.getElementById('branches-button')));
  }, []);
  return (
    <aside
      class="tree"
      aria-label="Branches of this chat"
      tabIndex={-1}
      ref={panel}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          tree.value = null;
        }
      }}
    >
      <div class="tree-head">
        <h2>Branches</h2>
        <button type="button" class="icon" aria-label="Close branches" onClick={() => (tree.value = null)}>
          <Icon name="close" />
        </button>
      </div>
      <ol>
        {rows(nodes).map(({ node: n, level, versions }) => (
          <li key={n.id} class={level > 0 ? 'forked' : undefined} style={{ paddingInlineStart: `${Math.min(level, 8) * 12}px` }}>
            <button type="button" class={`tree-node ${n.role}${n.selected ? ' selected' : ''}`} aria-current={n.selected ? 'true' : undefined} onClick={() => void selectMessage(n.id)}>
              <span class="role">{n.role === 'user' ? 'You' : n.role === 'assistant' ? 'Claude' : 'Error'}</span> {plainText(n.preview) || '…'}
            </button>
            {versions && <span class="versions">{versions} versions</span>}
          </li>
        ))}
      </ol>
    </aside>
  );
}
