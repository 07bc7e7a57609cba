/**
 * What Theater c50b1871 can link, as data (theater-c50.json), and the checks the host and
 * `npm run check:theater` make against it before a component may run.
 */
import c50 from './theater-c50.json' with { type: 'json' };

export const THEATER_C50 = c50 as {
  commit: string;
  imports: Record<string, string[]>;
  exports: Record<string, Record<string, string>>;
  exportsRequiredBy: Record<string, string[]>;
};

/** Interface-level problems: what this host (like Theater) would refuse to instantiate. */
export function linkProblems(imports: readonly string[], exports: readonly string[]): string[] {
  const problems: string[] = [];
  for (const name of imports) {
    if (name.startsWith('wasi:')) problems.push(`imports ${name}: Theater c50 links no WASI a componentize-js actor could use`);
    else if (!(name in THEATER_C50.imports)) problems.push(`imports ${name}: no Theater c50 handler provides it`);
  }
  const required = new Set(THEATER_C50.exportsRequiredBy.always);
  for (const name of imports) for (const e of THEATER_C50.exportsRequiredBy[name] ?? []) required.add(e);
  for (const name of required) if (!exports.includes(name)) problems.push(`does not export ${name}, which Theater c50 calls`);
  return problems;
}

export function checkLinkable(imports: readonly string[], exports: readonly string[]): void {
  const problems = linkProblems(imports, exports);
  if (problems.length > 0) throw new Error(`the component cannot run on Theater c50b1871:\n  - ${problems.join('\n  - ')}`);
}
