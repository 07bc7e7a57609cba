/**
 * DAG-JSON's canonical bytes for the plain JSON a message node is made of, written by the engine's
 * own JSON.stringify. @ipld/dag-json walks the value token by token in JavaScript, about 60 times
 * slower natively, and inside the component (an interpreter) that walk was the largest part of an
 * append. The rules are @ipld/dag-json 11's (cborg/json): no whitespace, map keys sorted by string
 * comparison, strings as JSON.stringify writes them, safe integers and finite fractions as String
 * writes them, a link as {"/": cid}. Anything else (undefined, unsafe integers, bytes, an object
 * with a "/" key of its own, anything not a plain object or array) returns undefined, and the caller
 * falls back to @ipld/dag-json itself: the same bytes always, only slower. A property test holds
 * the two encoders to the same bytes.
 */

/** A link, written as DAG-JSON writes a CID: the caller vouches that `cid` is in its canonical text form. */
export class Link {
  constructor(readonly cid: string) {}
}

export function canonicalJson(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // Integers beyond 2^53 are floats to cborg (written with ".0"); NaN and the infinities are refused.
      if (Number.isInteger(value) ? !Number.isSafeInteger(value) : !Number.isFinite(value)) return undefined;
      return String(value);
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  if (value instanceof Link) return `{"/":${JSON.stringify(value.cid)}}`;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) {
      const item = canonicalJson(value[i]);
      if (item === undefined) return undefined;
      items.push(item);
    }
    return `[${items.join(',')}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = Object.keys(value).sort();
  const entries: string[] = [];
  for (const key of keys) {
    if (key === '/') return undefined;
    const item = canonicalJson((value as Record<string, unknown>)[key]);
    if (item === undefined) return undefined;
    entries.push(`${JSON.stringify(key)}:${item}`);
  }
  return `{${entries.join(',')}}`;
}
