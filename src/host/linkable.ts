/**
 * What Theater c50b1871 can link, as data (theater-c50.json), and the checks the host and
 * `npm run check:theater` make against it before a component may run.
 */
import c50 from './theater-c50.json' with { type: 'json' };
import type { Signatures } from './component-types.js';

export const THEATER_C50 = c50 as {
  commit: string;
  unlinkable: Record<string, string[]>;
  noHandler: string[];
  exportsRequiredBy: Record<string, string[]>;
  imports: Record<string, Record<string, string>>;
  exports: Record<string, Record<string, string>>;
};

function importProblem(name: string): string | undefined {
  if (name.startsWith('wasi:')) return `imports ${name}: Theater c50 links no WASI a componentize-js actor could use`;
  if (THEATER_C50.noHandler.includes(name)) return `imports ${name}: no Theater c50 handler provides it`;
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

/** Function-level problems: every import linkable with the same type, every needed export present and typed as c50 calls it. */
export function conformanceProblems(sigs: Signatures): string[] {
  const problems: string[] = [];
  for (const [iface, fns] of Object.entries(sigs.imports)) {
    const problem = importProblem(iface);
    if (problem) {
      problems.push(problem);
      continue;
    }
    const reference = THEATER_C50.imports[iface]!;
    for (const [fn, sig] of Object.entries(fns)) {
      if (THEATER_C50.unlinkable[iface]?.includes(fn)) problems.push(`imports ${iface}.${fn}: declared in the WIT but Theater c50 cannot link it`);
      else if (!(fn in reference)) problems.push(`imports ${iface}.${fn}: Theater c50 does not define it`);
      else if (reference[fn] !== sig) problems.push(`imports ${iface}.${fn} as ${sig}; Theater c50 defines ${reference[fn]}`);
    }
  }
  for (const iface of requiredExports(Object.keys(sigs.imports))) {
    if (!(iface in sigs.exports)) problems.push(`does not export ${iface}, which Theater c50 calls`);
  }
  for (const [iface, fns] of Object.entries(sigs.exports)) {
    const reference = THEATER_C50.exports[iface];
    if (!reference) {
      problems.push(`exports ${iface}, which Theater c50 never calls`);
      continue;
    }
    for (const [fn, sig] of Object.entries(reference)) {
      const actual = fns[fn];
      if (actual === undefined) problems.push(`exports ${iface} without ${fn} (FunctionNotFound on first use)`);
      else if (actual !== sig) problems.push(`exports ${iface}.${fn} as ${actual}; Theater c50 calls ${sig} (the actor would never start)`);
    }
  }
  return problems;
}
