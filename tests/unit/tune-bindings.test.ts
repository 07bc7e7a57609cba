import { describe, expect, it } from 'vitest';
import { tuneBindings } from '../../scripts/tune-bindings.mjs';

/** The shape componentize-js 0.23 generates, trimmed to what the build rewrites. */
const GENERATED = `const TEXT_ENCODER_UTF8 = new TextEncoder();

function _utf8AllocateAndEncode(s, realloc, memory) {
  if (typeof s !== 'string') {
    throw new TypeError('expected a string, received [' + typeof s + ']');
  }
  let len = 0;
  let codepoints = 0;
  for (let i = 0; i < s.length; i++) { codepoints++; len += 1; }
  const ptr = realloc(0, 0, 1, len);
  const { read, written } = TEXT_ENCODER_UTF8.encodeInto(s, new Uint8Array(memory.buffer, ptr, len));
  const res = { ptr, len, codepoints };
  return res;
}

const _debugLog = (...args) => {
  if (!globalThis?.process?.env?.JCO_DEBUG) { return; }
  console.debug(...args);
};

function call(arg0) {
  var encodeRes = _utf8AllocateAndEncode(arg0, $realloc, $memory);
  _debugLog('[Instruction::CallWasm] enter', {
    funcName: 'get-by-label',
    paramCount: 4,
  });
  _debugLog(' [Instruction::CallInterface] (sync, @ enter)');
  return encodeRes;
}
return { call, encode: _utf8AllocateAndEncode };`;

type Encode = (s: string, realloc: (a: number, b: number, align: number, size: number) => number, memory: { buffer: ArrayBuffer }) => { ptr: number; len: number };

function tunedEncoder(): Encode {
  return (new Function('$realloc', '$memory', tuneBindings(GENERATED)) as (...a: unknown[]) => { encode: Encode })(undefined, undefined).encode;
}

/** A bump allocator over one buffer, as the component's memory would be. */
function memory() {
  const buffer = new ArrayBuffer(1 << 16);
  let top = 8;
  return { memory: { buffer }, realloc: (_old: number, _oldSize: number, _align: number, size: number) => ((top += size), top - size) };
}

describe('the build’s rewrite of the generated bindings', () => {
  it('passes exactly the UTF-8 bytes of any string, in one native step', () => {
    const encode = tunedEncoder();
    for (const text of ['node/bafyreiabc', 'é', 'naïve — “quotes” 日本語', '🙂 two units', '\ud800 lone surrogate', 'a'.repeat(5000)]) {
      const { memory: mem, realloc } = memory();
      const { ptr, len } = encode(text, realloc, mem);
      expect(Buffer.from(new Uint8Array(mem.buffer, ptr, len))).toEqual(Buffer.from(text, 'utf8'));
    }
    const { memory: mem, realloc } = memory();
    expect(encode('', realloc, mem)).toEqual({ ptr: 1, len: 0 });
    expect(() => encode(7 as unknown as string, realloc, mem)).toThrow(/expected a string/);
  });

  it('drops the debug log’s calls, whose arguments were built on every call', () => {
    const tuned = tuneBindings(GENERATED);
    expect(tuned).not.toMatch(/_debugLog\(/);
    expect(tuned).not.toMatch(/codepoints/);
    expect(tuned).toContain("var encodeRes = _utf8AllocateAndEncode(arg0, $realloc, $memory);\n  return encodeRes;");
  });

  it('fails the build when componentize-js generates something else', () => {
    expect(() => tuneBindings(GENERATED.replace('const res = { ptr, len, codepoints };', 'const res = { ptr, len };'))).toThrow(/no longer generates the string encoder/);
    expect(() => tuneBindings(GENERATED.replace("  _debugLog(' [Instruction", "  if (x) _debugLog(' [Instruction"))).toThrow(/left the old code/);
  });
});
