/**
 * Ids are written by a small encoder of our own (src/core/cid.ts), for speed inside the component:
 * it must print exactly what multiformats prints, or every stored message and file would stop
 * matching its id.
 */
import * as dagJson from '@ipld/dag-json';
import fc from 'fast-check';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { describe, expect, it } from 'vitest';
import { cidOf, parseCid } from '../../src/core/cid.js';

const reference = async (codec: number, bytes: Uint8Array) => CID.create(1, codec, await sha256.digest(bytes)).toString();

describe('cidOf', () => {
  it('writes the CID multiformats writes, for messages and files, whatever the bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.constantFrom(dagJson.code, raw.code), async (bytes, codec) => {
        expect(await cidOf(codec, bytes)).toBe(await reference(codec, bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('writes ids that the id check accepts', async () => {
    const id = await cidOf(dagJson.code, new TextEncoder().encode('{"v":1}'));
    expect(parseCid(id, dagJson.code, 'id', 'message id')).toBe(id);
    expect(() => parseCid(id, raw.code, 'id', 'file id')).toThrow(/not a file id of this app/);
  });
});
