/**
 * Route patterns as c50's http-framework (axum 0.8) reads them: `/api/chats/{id}` and `/assets/{*rest}`.
 * Static segments win over parameters, as in axum's matchit router.
 */
export const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT']);

type Segment = { kind: 'static'; value: string } | { kind: 'param'; name: string } | { kind: 'rest'; name: string };

export interface CompiledPattern {
  pattern: string;
  segments: Segment[];
}

/** Returns an error message for what c50 refuses at add-route, else undefined. */
export function checkRoutePath(path: string): string | undefined {
  if (!path.startsWith('/')) return 'Path must start with /';
  if (path.includes('/*') && !path.includes('{*')) return 'Invalid wildcard pattern; use {*name}';
  let depth = 0;
  for (const ch of path) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (depth < 0 || depth > 1) return 'Unbalanced braces in path';
  }
  return depth === 0 ? undefined : 'Unbalanced braces in path';
}

/** Throws what axum would panic on when the router is built (c50 turns that into a start-server Err). */
export function compilePattern(pattern: string): CompiledPattern {
  const parts = pattern === '/' ? [] : pattern.slice(1).split('/');
  const segments = parts.map((part, i): Segment => {
    if (part.startsWith(':')) throw new Error(`Path segments must not start with ':' (use {name}): ${pattern}`);
    const rest = /^\{\*([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(part);
    if (rest) {
      if (i !== parts.length - 1) throw new Error(`Catch-all must be the last segment: ${pattern}`);
      return { kind: 'rest', name: rest[1]! };
    }
    const param = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(part);
    if (param) return { kind: 'param', name: param[1]! };
    if (part.includes('{') || part.includes('}')) throw new Error(`Unsupported segment "${part}" in ${pattern}`);
    return { kind: 'static', value: part };
  });
  return { pattern, segments };
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Percent-decoded parameter values, or undefined when the path does not match. */
export function matchPattern(compiled: CompiledPattern, path: string): Record<string, string> | undefined {
  const parts = path === '/' ? [] : path.slice(1).split('/');
  const params: Record<string, string> = {};
  for (let i = 0; i < compiled.segments.length; i++) {
    const seg = compiled.segments[i]!;
    if (seg.kind === 'rest') {
      const rest = parts.slice(i).join('/');
      if (rest.length === 0) return undefined;
      const value = decode(rest);
      if (value === undefined) return undefined;
      params[seg.name] = value;
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.kind === 'static') {
      if (part !== seg.value) return undefined;
    } else {
      if (part.length === 0) return undefined;
      const value = decode(part);
      if (value === undefined) return undefined;
      params[seg.name] = value;
    }
  }
  return parts.length === compiled.segments.length ? params : undefined;
}

/** Lower is more specific: static before parameter before catch-all, segment by segment. */
function specificity(compiled: CompiledPattern): number[] {
  return compiled.segments.map((s) => (s.kind === 'static' ? 0 : s.kind === 'param' ? 1 : 2));
}

export function bySpecificity(a: CompiledPattern, b: CompiledPattern): number {
  const sa = specificity(a);
  const sb = specificity(b);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) if (sa[i] !== sb[i]) return sa[i]! - sb[i]!;
  return sb.length - sa.length;
}
