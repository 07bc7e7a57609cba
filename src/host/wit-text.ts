/**
 * A normal form for WIT text, so our trimmed copy (wit/deps) can be compared item by item with
 * the files Theater c50b1871 publishes, whatever their comments, layout or trailing commas.
 * Only the subset `theater:simple` uses is understood: one package per file, interfaces and
 * worlds made of `use`, `type`, `record`, `variant`, `enum`, `flags` and functions.
 */

/** Comments stripped, whitespace collapsed and dropped next to punctuation, no trailing commas. */
export function normaliseWit(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{}()<>,;:=.])\s*/g, '$1')
    .replace(/,([}>)])/g, '$1')
    .trim();
}

export interface WitItem {
  kind: 'use' | 'type' | 'record' | 'variant' | 'enum' | 'flags' | 'resource' | 'func' | 'import' | 'export' | 'include';
  /** The defined name; for `use` and world items, the whole statement (they define nothing to key on). */
  name: string;
  /** Normalised text of the whole item. */
  text: string;
}

export interface WitFile {
  package: string;
  interfaces: Record<string, WitItem[]>;
  worlds: Record<string, WitItem[]>;
}

/** Splits `body` (normalised) at top-level `;` and at `}` closing a top-level block. */
function splitItems(body: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '{' || c === '(' || c === '<') depth++;
    else if ((c === '}' || c === ')' || (c === '>' && body[i - 1] !== '-')) && --depth === 0 && c === '}') {
      // `use a.{b};` closes a brace and then ends at `;`: one item either way.
      if (body[i + 1] === ';') i++;
      items.push(body.slice(start, i + 1));
      start = i + 1;
    } else if (c === ';' && depth === 0) {
      items.push(body.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (body.slice(start).trim()) throw new Error(`unterminated WIT item: ${body.slice(start)}`);
  return items;
}

function readItem(text: string): WitItem {
  let m: RegExpExecArray | null;
  if ((m = /^(record|variant|enum|flags|resource) (%?[\w-]+)[{;]/.exec(text))) return { kind: m[1] as WitItem['kind'], name: m[2]!, text };
  if ((m = /^type (%?[\w-]+)=/.exec(text))) return { kind: 'type', name: m[1]!, text };
  if ((m = /^(use|import|export|include) /.exec(text))) return { kind: m[1] as WitItem['kind'], name: text, text };
  if ((m = /^(%?[\w-]+):func\(/.exec(text))) return { kind: 'func', name: m[1]!, text };
  throw new Error(`WIT item this reader does not know: ${text}`);
}

/** Parses one WIT file of the subset above (text may be raw or already normalised). */
export function parseWit(text: string): WitFile {
  const src = normaliseWit(text);
  const pkg = /^package ([\w:@.-]+);/.exec(src);
  if (!pkg) throw new Error('WIT file without a `package` line');
  const file: WitFile = { package: pkg[1]!, interfaces: {}, worlds: {} };
  let rest = src.slice(pkg[0].length);
  while (rest.length > 0) {
    const head = /^(interface|world) (%?[\w-]+)\{/.exec(rest);
    if (!head) throw new Error(`expected an interface or a world at: ${rest.slice(0, 60)}`);
    let depth = 0;
    let end = -1;
    for (let i = head[0].length - 1; i < rest.length; i++) {
      if (rest[i] === '{') depth++;
      else if (rest[i] === '}' && --depth === 0) {
        end = i;
        break;
      }
    }
    if (end < 0) throw new Error(`unclosed ${head[1]} ${head[2]}`);
    const items = splitItems(rest.slice(head[0].length, end)).map(readItem);
    (head[1] === 'interface' ? file.interfaces : file.worlds)[head[2]!] = items;
    rest = rest.slice(end + 1);
  }
  return file;
}

/** Interfaces back as WIT text (one package), e.g. to componentize a reference world from them. */
export function witText(pkg: string, interfaces: Record<string, WitItem[]>): string {
  return `package ${pkg};\n${Object.entries(interfaces)
    .map(([name, items]) => `interface ${name} {\n${items.map((i) => `  ${i.text}`).join('\n')}\n}`)
    .join('\n')}\n`;
}
