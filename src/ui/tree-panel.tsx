/** A map of every branch of the chat: jump to any message, see which branch is selected. */
import type { TreeNode } from './protocol.js';
import { selectMessage, tree } from './state.js';
import { Icon } from './icons.js';

function depths(nodes: TreeNode[]): Map<string, number> {
  const depth = new Map<string, number>();
  for (const n of nodes) depth.set(n.id, n.parent_id ? (depth.get(n.parent_id) ?? 0) + 1 : 0);
  return depth;
}

/** Depth-first order, so each branch reads top to bottom under its fork. */
function ordered(nodes: TreeNode[]): TreeNode[] {
  const kids = new Map<string | null, TreeNode[]>();
  for (const n of nodes) kids.set(n.parent_id, [...(kids.get(n.parent_id) ?? []), n]);
  const ids = new Set(nodes.map((n) => n.id));
  const roots = nodes.filter((n) => n.parent_id === null || !ids.has(n.parent_id));
  const out: TreeNode[] = [];
  const stack = [...roots].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    stack.push(...[...(kids.get(n.id) ?? [])].reverse());
  }
  return out;
}

export function TreePanel() {
  const nodes = tree.value ?? [];
  const depth = depths(nodes);
  return (
    <aside class="tree" aria-label="Branches of this chat">
      <div class="tree-head">
        <h2>Branches</h2>
        <button type="button" class="icon" aria-label="Close branches" onClick={() => (tree.value = null)}>
          <Icon name="close" />
        </button>
      </div>
      <ol>
        {ordered(nodes).map((n) => (
          <li key={n.id} style={{ paddingInlineStart: `${Math.min(depth.get(n.id) ?? 0, 24) * 10}px` }}>
            <button type="button" class={`tree-node ${n.role}${n.selected ? ' selected' : ''}`} aria-current={n.selected ? 'true' : undefined} onClick={() => void selectMessage(n.id)}>
              <span class="role">{n.role === 'user' ? 'You' : n.role === 'assistant' ? 'Claude' : 'Error'}</span> {n.preview || '…'}
            </button>
          </li>
        ))}
      </ol>
    </aside>
  );
}
