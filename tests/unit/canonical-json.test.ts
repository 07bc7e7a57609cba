/**
 * Message ids are hashes of DAG-JSON bytes: the fast encoder must give exactly the bytes
 * @ipld/dag-json gives, for any node, or ids would change and stored chats would stop verifying.
 */
import * as dagJson from '@ipld/dag-json';
import { CID } from 'multiformats/cid';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, Link } from '../../src/core/dag/canonical-json.js';
import { encodeNode, idOf, type MessageNode } from '../../src/core/dag/node.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const PARENT = 'baguqeerap2svmlkaingi7ui6m4w56gyv2ebyvakess7n5sazbwmyphwkv4bq';

/** What @ipld/dag-json makes of the same value (its links as CIDs). */
function reference(value: unknown): string {
  const withCids = (v: unknown): unknown =>
    v instanceof Link ? CID.parse(v.cid) : Array.isArray(v) ? v.map(withCids) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withCids(x)])) : v;
  return text(dagJson.encode(withCids(value)));
}

const strings = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('', '"', '\\', '\u2028', '\u0000\u001f', '\ud800', 'é', '🦀'));
const numbers = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 0.1, 1e21, 1e-7, 2 ** 53 - 1));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, strings, numbers, fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(strings, tie('value'), { maxKeys: 6 }),
})).value;

describe('canonical DAG-JSON', () => {
  it('writes the bytes @ipld/dag-json writes for any JSON value it takes', () => {
    fc.assert(
      fc.property(json, (value) => {
        const fast = canonicalJson(value);
        // Only an object with its own "/" key is handed back to dag-json here.
        if (fast !== undefined) expect(fast).toBe(reference(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes links as dag-json does and hands back what it does not write exactly', () => {
    expect(canonicalJson({ b: new Link(PARENT), a: [1, 'x'] })).toBe(reference({ b: new Link(PARENT), a: [1, 'x'] }));
    for (const odd of [undefined, [undefined], { a: undefined }, 2 ** 60, Number.NaN, Infinity, new Uint8Array([1]), { '/': 'x' }, new Map(), 10n]) {
      expect(canonicalJson(odd)).toBeUndefined();
    }
  });

  it('gives every node the id @ipld/dag-json gives it, blocks from the API included', async () => {
    const node = fc.record({
      parent: fc.constantFrom(null, PARENT),
      role: fc.constantFrom('user', 'assistant', 'error'),
      content: strings,
      meta: fc.record({ created_at: fc.option(fc.string(), { nil: undefined }), usage: fc.option(fc.record({ input_tokens: fc.nat(), output_tokens: fc.nat() }), { nil: undefined }) }),
      blocks: fc.option(fc.array(fc.dictionary(fc.string(), json, { maxKeys: 4 }), { maxLength: 3 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(node, async (n) => {
        const full = { v: 1, ...n } as unknown as MessageNode;
        const slow = dagJson.encode({
          v: 1,
          parent: n.parent === null ? null : CID.parse(n.parent),
          role: n.role,
          content: n.content,
          meta: Object.fromEntries(Object.entries(n.meta).filter(([, v]) => v !== undefined)),
          ...(n.blocks?.length ? { blocks: n.blocks } : {}),
        });
        expect(text(encodeNode(full))).toBe(text(slow));
        expect(await idOf(encodeNode(full))).toBe(await idOf(slow));
      }),
      { numRuns: 500 },
    );
  });
});
