/**
 * Reads the imported and exported function signatures of a component from its WAT text
 * (jco's `print`), with every type reference expanded, so two components built from different
 * sources compare equal exactly when Theater's linker would treat their functions alike.
 */

interface Scope {
  types: Map<number, string | { outer: string } | { ref: number }>;
  typeExports: Map<string, number>;
  funcs: Map<string, number>;
}

export interface Signatures {
  imports: Record<string, Record<string, string>>;
  exports: Record<string, Record<string, string>>;
}

const newScope = (): Scope => ({ types: new Map(), typeExports: new Map(), funcs: new Map() });
const TOKEN = /"[^"]*"|\(|\)|[^\s()]+/g;

const LINE = {
  typeDef: /^\(type \(;(\d+);\) (.*)\)$/,
  typeExportEq: /^\(export \(;(\d+);\) "([^"]+)" \(type \(eq (\d+)\)\)\)$/,
  typeExport: /^\(export \(;(\d+);\) "([^"]+)" \(type (\d+)\)\)$/,
  typeImportEq: /^\(import "[^"]+" \(type \(;(\d+);\) \(eq (\d+)\)\)\)$/,
  aliasOuter: /^\(alias outer 1 (\$\S+|\$"[^"]+") \(type \(;(\d+);\)\)\)$/,
  funcExport: /^\(export \(;\d+;\) "([^"]+)" (?:\(func \d+\) )?\(func \(type (\d+)\)\)\)$/,
};
const TOP = {
  importBlock: /^ {2}\(type \$ty-(\S+) \(;\d+;\)$/,
  importEnd: /^ {2}\(import "([^"]+)" \(instance /,
  aliasExport: /^ {2}\(alias export \$(\S+) "([^"]+)" \(type (\$"[^"]+"|\$\S+)(?: \(@name "[^"]+"\))? \(;\d+;\)\)\)$/,
  shimBlock: /^ {2}\(component \$(\S+)-shim-component \(;\d+;\)$/,
  blockEnd: /^ {2}\)$/,
};

function readLine(scope: Scope, line: string): void {
  let m: RegExpExecArray | null;
  if ((m = LINE.funcExport.exec(line))) scope.funcs.set(m[1]!, Number(m[2]));
  else if ((m = LINE.typeExportEq.exec(line))) {
    scope.types.set(Number(m[1]), { ref: Number(m[3]) });
    scope.typeExports.set(m[2]!, Number(m[1]));
  } else if ((m = LINE.typeExport.exec(line))) {
    scope.types.set(Number(m[1]), { ref: Number(m[3]) });
    scope.typeExports.set(m[2]!, Number(m[1]));
  } else if ((m = LINE.typeImportEq.exec(line))) scope.types.set(Number(m[1]), { ref: Number(m[2]) });
  else if ((m = LINE.aliasOuter.exec(line))) scope.types.set(Number(m[2]), { outer: m[1]! });
  else if ((m = LINE.typeDef.exec(line))) scope.types.set(Number(m[1]), m[2]!);
}

export function readSignatures(wat: string): Signatures {
  const importScopes = new Map<string, Scope>();
  const exportScopes = new Map<string, Scope>();
  const outerNames = new Map<string, { iface: string; name: string }>();
  let current: Scope | undefined;
  let shim: string | undefined;
  let start = 0;
  while (start < wat.length) {
    let end = wat.indexOf('\n', start);
    if (end < 0) end = wat.length;
    const raw = wat.slice(start, end);
    start = end + 1;
    // Only component-level lines (two spaces) and lines inside an interesting block matter.
    if (!current && !raw.startsWith('  (')) continue;
    let m: RegExpExecArray | null;
    if ((m = TOP.importBlock.exec(raw))) current = newScope();
    else if ((m = TOP.importEnd.exec(raw))) {
      if (current) importScopes.set(m[1]!, current);
      current = undefined;
    } else if ((m = TOP.shimBlock.exec(raw))) {
      current = newScope();
      shim = m[1];
    } else if (shim && TOP.blockEnd.test(raw)) {
      exportScopes.set(shim, current!);
      current = undefined;
      shim = undefined;
    } else if (!current && (m = TOP.aliasExport.exec(raw))) outerNames.set(m[3]!, { iface: m[1]!, name: m[2]! });
    else if (current) readLine(current, raw.trim());
  }

  const expand = (scope: Scope, index: number, depth = 0): string => {
    if (depth > 64) throw new Error('type nesting too deep');
    const def = scope.types.get(index);
    if (def === undefined) throw new Error(`unknown type index ${index}`);
    if (typeof def === 'object' && 'ref' in def) return expand(scope, def.ref, depth + 1);
    if (typeof def === 'object') {
      const target = outerNames.get(def.outer);
      const owner = target && importScopes.get(target.iface);
      const exported = owner?.typeExports.get(target!.name);
      if (!owner || exported === undefined) throw new Error(`unresolved outer type ${def.outer}`);
      return expand(owner, exported, depth + 1);
    }
    return (def.match(TOKEN) ?? [])
      .map((t) => (/^\d+$/.test(t) ? expand(scope, Number(t), depth + 1) : t))
      .join(' ')
      .replace(/\( /g, '(')
      .replace(/ \)/g, ')');
  };
  const collect = (scopes: Map<string, Scope>) =>
    Object.fromEntries(
      [...scopes].map(([iface, scope]) => [iface, Object.fromEntries([...scope.funcs].map(([fn, t]) => [fn, expand(scope, t)]))]),
    );
  return { imports: collect(importScopes), exports: collect(exportScopes) };
}

export async function componentSignatures(wasm: Uint8Array): Promise<Signatures> {
  const { print } = await import('@bytecodealliance/jco');
  return readSignatures(await print(wasm));
}
