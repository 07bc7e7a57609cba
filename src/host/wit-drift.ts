/**
 * How our WIT copy (wit/deps, what the actor and the fixtures are built from) differs from the
 * WIT Theater c50b1871 publishes, beyond the removals theater-c50.json documents. Each
 * difference is named by interface and item, e.g. `theater:simple/store.calculate-total-size`.
 */
import { C50_FACTS, C50_UPSTREAM, LINKED_INTERFACES, UPSTREAM_INTERFACES } from './linkable.js';
import { parseWit, type WitItem } from './wit-text.js';

const key = (item: WitItem) => `${item.kind} ${item.name}`;
const label = (iface: string, item: WitItem) => `${iface}.${item.kind === 'func' ? item.name : `${item.kind} ${item.name}`}`;

/** `files`: file name → text of every .wit file of the copy (wit/deps/theater-simple). */
export function witDrift(files: Record<string, string>, copy = 'wit/deps'): string[] {
  const problems: string[] = [];
  const ours = new Map<string, { file: string; items: WitItem[] }>();
  for (const [file, text] of Object.entries(files)) {
    const parsed = parseWit(text);
    for (const world of Object.keys(parsed.worlds)) problems.push(`${copy}/${file}: declares world ${world}; upstream worlds are not copied (${C50_FACTS.removed.worlds[world]?.reason ?? 'the actor world lives in wit/world.wit'})`);
    for (const [name, items] of Object.entries(parsed.interfaces)) ours.set(`${parsed.package}/${name}`, { file, items });
  }
  const at = (iface: string) => `upstream ${UPSTREAM_INTERFACES[iface]!.file}@${C50_UPSTREAM.commit.slice(0, 8)}`;

  for (const [iface, linked] of Object.entries(LINKED_INTERFACES)) {
    const mine = ours.get(iface);
    if (!mine) {
      problems.push(`${iface}: missing from ${copy}, but c50 links it (${at(iface)})`);
      continue;
    }
    const upstreamItems = new Map(linked.map((i) => [key(i), i]));
    const removedItems = new Map(UPSTREAM_INTERFACES[iface]!.items.filter((i) => !upstreamItems.has(key(i))).map((i) => [key(i), i]));
    for (const item of mine.items) {
      const expected = upstreamItems.get(key(item));
      if (expected) {
        if (expected.text !== item.text) problems.push(`${label(iface, item)}: ${copy} says \`${item.text}\`; ${at(iface)} says \`${expected.text}\``);
        upstreamItems.delete(key(item));
      } else if (removedItems.has(key(item))) {
        problems.push(`${label(iface, item)}: ${copy} keeps it, but theater-c50.json removes it (${C50_FACTS.removed.functions[iface]?.[item.name]?.reason ?? C50_FACTS.removed.uses[iface]?.[item.text]})`);
      } else problems.push(`${label(iface, item)}: ${copy} adds \`${item.text}\`, which ${at(iface)} does not have`);
    }
    for (const item of upstreamItems.values()) problems.push(`${label(iface, item)}: missing from ${copy}; ${at(iface)} says \`${item.text}\``);
  }
  for (const [iface, { file }] of ours) {
    if (iface in LINKED_INTERFACES) continue;
    const removed = C50_FACTS.removed.interfaces[iface];
    if (removed) problems.push(`${iface}: ${copy}/${file} keeps it, but theater-c50.json removes it (${removed.reason})`);
    else problems.push(`${iface}: ${copy}/${file} adds an interface c50b1871's WIT does not have`);
  }
  return problems;
}
