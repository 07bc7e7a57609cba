/**
 * What Theater c50b1871 can link, and the checks the host and `npm run check:theater` make
 * against it before a component may run. The interfaces and functions come from c50's own WIT
 * text (theater-c50-upstream.json, recorded from the upstream repository), minus the removals
 * documented with their reasons and source lines in theater-c50.json.
 */
import facts from './theater-c50.json' with { type: 'json' };
import upstream from './theater-c50-upstream.json' with { type: 'json' };
import type { Signatures } from './component-types.js';
import { parseWit, type WitItem } from './wit-text.js';

export interface Removal {
  why: string;
  reason: string;
  source: string;
}

export interface C50Facts {
  commit: string;
  removed: {
    functions: Record<string, Record<string, Removal>>;
    uses: Record<string, Record<string, string>>;
    interfaces: Record<string, Removal>;
    worlds: Record<string, { reason: string; source: string }>;
  };
  exportsRequiredBy: Record<string, string[]>;
  roles: Record<string, { about: string; mustNotImport: Record<string, { reason: string; source: string }> }>;
}

export interface C50Upstream {
  repository: string;
  commit: string;
  files: Record<string, { blob: string; sha256: string; root: string; text: string }>;
  handlers: Record<string, { imports: string[]; exports: string[]; activation: string; defines: Record<string, Record<string, string>> }>;
}

export const C50_FACTS = facts as C50Facts;
export const C50_UPSTREAM = upstream as C50Upstream;

export interface UpstreamInterface {
  file: string;
  items: WitItem[];
}

/** Every `theater:simple` interface of the upstream WIT, by full name. */
export const UPSTREAM_INTERFACES: Record<string, UpstreamInterface> = {};
for (const [file, { text }] of Object.entries(C50_UPSTREAM.files)) {
  const parsed = parseWit(text);
  for (const [name, items] of Object.entries(parsed.interfaces)) UPSTREAM_INTERFACES[`${parsed.package}/${name}`] = { file, items };
}

const removedItem = (iface: string, item: WitItem): boolean =>
  (item.kind === 'func' && item.name in (C50_FACTS.removed.functions[iface] ?? {})) ||
  (item.kind === 'use' && item.text in (C50_FACTS.removed.uses[iface] ?? {}));

/** The upstream interfaces minus the documented removals: what wit/deps must say, item for item. */
export const LINKED_INTERFACES: Record<string, WitItem[]> = Object.fromEntries(
  Object.entries(UPSTREAM_INTERFACES)
    .filter(([name]) => !(name in C50_FACTS.removed.interfaces))
    .map(([name, { items }]) => [name, items.filter((item) => !removedItem(name, item))]),
);

const EXPORTED = new Set(Object.values(C50_FACTS.exportsRequiredBy).flat());
const functionsOf = (names: string[]) =>
  Object.fromEntries(names.map((name) => [name, LINKED_INTERFACES[name]!.filter((i) => i.kind === 'func').map((i) => i.name)]));

/** The same facts by name, as the checks below use them. */
export const THEATER_C50 = {
  commit: C50_FACTS.commit,
  unlinkable: Object.fromEntries(Object.entries(C50_FACTS.removed.functions).map(([iface, fns]) => [iface, Object.keys(fns)])) as Record<string, string[]>,
  noHandler: Object.entries(C50_FACTS.removed.interfaces).filter(([, r]) => r.why === 'no-handler').map(([name]) => name),
  exportsRequiredBy: C50_FACTS.exportsRequiredBy,
  imports: functionsOf(Object.keys(LINKED_INTERFACES).filter((n) => !EXPORTED.has(n))),
  exports: functionsOf(Object.keys(LINKED_INTERFACES).filter((n) => EXPORTED.has(n))),
};

function importProblem(name: string): string | undefined {
  if (name.startsWith('wasi:')) return `imports ${name}: Theater c50 links no WASI a componentize-js actor could use`;
  const removed = C50_FACTS.removed.interfaces[name];
  if (removed?.why === 'no-handler') return `imports ${name}: no Theater c50 handler provides it (${removed.source})`;
  if (removed) return `imports ${name}: left out of this project's Theater profile: ${removed.reason}`;
  if (!(name in THEATER_C50.imports)) return `imports ${name}: not an interface Theater c50 links`;
  return undefined;
}

function requiredExports(imports: Iterable<string>): Set<string> {
  const required = new Set(THEATER_C50.exportsRequiredBy.always);
  for (const name of imports) for (const e of THEATER_C50.exportsRequiredBy[name] ?? []) required.add(e);
  return required;
}

/** Interface-level problems, from names alone: what the host checks at every start. */
export function linkProblems(imports: readonly string[], exports: readonly string[]): string[] {
  const problems = imports.map(importProblem).filter((p): p is string => p !== undefined);
  for (const name of requiredExports(imports)) if (!exports.includes(name)) problems.push(`does not export ${name}, which Theater c50 calls`);
  return problems;
}

export function checkLinkable(imports: readonly string[], exports: readonly string[]): void {
  const problems = linkProblems(imports, exports);
  if (problems.length > 0) throw new Error(`the component cannot run on Theater c50b1871:\n  - ${problems.join('\n  - ')}`);
}

/**
 * Function-level problems: every import linkable with the same type, every needed export present
 * and typed as c50 calls it. `reference` holds c50's function types, as the same reader
 * (component-types.ts) gives them for a component built from LINKED_INTERFACES.
 */
export function conformanceProblems(sigs: Signatures, reference: Signatures): string[] {
  const problems: string[] = [];
  for (const [iface, fns] of Object.entries(sigs.imports)) {
    const problem = importProblem(iface);
    if (problem) {
      problems.push(problem);
      continue;
    }
    const linked = reference.imports[iface] ?? {};
    for (const [fn, sig] of Object.entries(fns)) {
      const removed = C50_FACTS.removed.functions[iface]?.[fn];
      if (removed) problems.push(`imports ${iface}.${fn}: declared in the WIT but Theater c50 cannot link it: ${removed.reason} (${removed.source})`);
      else if (!(fn in linked)) problems.push(`imports ${iface}.${fn}: Theater c50 does not define it`);
      else if (linked[fn] !== sig) problems.push(`imports ${iface}.${fn} as ${sig}; Theater c50 defines ${linked[fn]}`);
    }
  }
  for (const iface of requiredExports(Object.keys(sigs.imports))) {
    if (!(iface in sigs.exports)) problems.push(`does not export ${iface}, which Theater c50 calls`);
  }
  for (const [iface, fns] of Object.entries(sigs.exports)) {
    const called = reference.exports[iface];
    if (!called) {
      problems.push(`exports ${iface}, which Theater c50 never calls`);
      continue;
    }
    for (const [fn, sig] of Object.entries(called)) {
      const actual = fns[fn];
      if (actual === undefined) problems.push(`exports ${iface} without ${fn} (FunctionNotFound on first use)`);
      else if (actual !== sig) problems.push(`exports ${iface}.${fn} as ${actual}; Theater c50 calls ${sig} (the actor would never start)`);
    }
  }
  return problems;
}

/** Imports an actor in `role` must not have, on top of what c50 links at all. */
export function roleProblems(role: string, imports: readonly string[]): string[] {
  const rules = C50_FACTS.roles[role];
  if (!rules) throw new Error(`unknown role ${role}; known: ${Object.keys(C50_FACTS.roles).join(', ')}`);
  return imports
    .filter((name) => name in rules.mustNotImport)
    .map((name) => `imports ${name}, which a ${role} actor must not: ${rules.mustNotImport[name]!.reason} (${rules.mustNotImport[name]!.source})`);
}
