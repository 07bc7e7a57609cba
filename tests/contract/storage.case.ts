/**
 * What the core may rely on from its storage ports (src/core/ports.ts: ContentStore and Labels),
 * as one suite every implementation runs: the memory one of native tests, the Node host's file
 * store, and the component's adapter over c50's store import. c50b1871 decides where they could
 * differ (crates/theater/src/store/mod.rs): a missing ref's content is an error, a missing label
 * is no ref, a label points only at content that exists, removing a missing label is no error.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ContentStore, Labels } from '../../src/core/ports.js';

export interface StoragePorts {
  content: ContentStore;
  labels: Labels;
}

export interface StorageSubject {
  /** A fresh, empty store. */
  make(): StoragePorts;
  /** The same store opened again, as after a restart; absent where nothing outlives the process. */
  reopen?(ports: StoragePorts): StoragePorts;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');

/** Deterministic bytes that no compression or dedup could shortcut. */
function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function storageContract(name: string, subject: StorageSubject): void {
  describe(`storage ports: ${name}`, () => {
    describe('content', () => {
      it('gives back the bytes it was given', () => {
        const { content } = subject.make();
        const ref = content.put(bytes('hello, store'));
        expect(content.has(ref)).toBe(true);
        expect(Array.from(content.get(ref))).toEqual(Array.from(bytes('hello, store')));
      });

      it('addresses by content: the same bytes get the same ref, other bytes another, in any store', () => {
        const a = subject.make();
        const b = subject.make();
        const first = a.content.put(bytes('same'));
        expect(a.content.put(bytes('same'))).toBe(first);
        expect(b.content.put(bytes('same'))).toBe(first);
        expect(a.content.put(bytes('Same'))).not.toBe(first);
        // The host's hash on Theater is SHA-1 hex; stores built natively are opened by the component.
        expect(first).toBe(sha1(bytes('same')));
      });

      it('refuses to get a ref it does not hold, and says it does not have it', () => {
        const { content } = subject.make();
        const absent = sha1(bytes('never stored'));
        expect(content.has(absent)).toBe(false);
        expect(() => content.get(absent)).toThrow();
      });

      it('treats a ref that is no hash as absent, wherever it points', () => {
        const { content, labels } = subject.make();
        labels.set('chats', content.put(bytes('[]')));
        for (const ref of ['not-a-hash', '', '../labels/chats', sha1(bytes('x')).toUpperCase()]) {
          expect(content.has(ref), ref).toBe(false);
          expect(() => content.get(ref), ref).toThrow();
        }
      });

      it('keeps every byte value, and empty content', () => {
        const { content } = subject.make();
        const all = Uint8Array.from({ length: 256 }, (_, i) => i);
        const reversed = all.slice().reverse();
        const empty = new Uint8Array(0);
        const refs = [all, reversed, empty].map((b) => content.put(b));
        expect(new Set(refs).size).toBe(3);
        expect(Array.from(content.get(refs[0]!))).toEqual(Array.from(all));
        expect(Array.from(content.get(refs[1]!))).toEqual(Array.from(reversed));
        expect(content.has(refs[2]!)).toBe(true);
        expect(content.get(refs[2]!).length).toBe(0);
      });

      it('keeps large content whole', () => {
        const { content } = subject.make();
        const big = noise(5 * 1024 * 1024 + 3, 14);
        const ref = content.put(big);
        expect(ref).toBe(sha1(big));
        const back = content.get(ref);
        expect(back.length).toBe(big.length);
        expect(Buffer.compare(Buffer.from(back), Buffer.from(big))).toBe(0);
      });

      it('stores only the bytes of a view, not the buffer behind it', () => {
        const { content } = subject.make();
        const buffer = bytes('xxxxPAYLOADyyyy');
        const view = buffer.subarray(4, 11);
        const ref = content.put(view);
        expect(ref).toBe(sha1(bytes('PAYLOAD')));
        expect(new TextDecoder().decode(content.get(ref))).toBe('PAYLOAD');
      });

      it('shares no memory with its callers: changing given or returned bytes changes nothing stored', () => {
        const { content } = subject.make();
        const given = bytes('original');
        const ref = content.put(given);
        given.fill(0);
        const first = content.get(ref);
        first.fill(0);
        expect(new TextDecoder().decode(content.get(ref))).toBe('original');
      });
    });

    describe('labels', () => {
      it('name no ref until set, then the ref they were set to', () => {
        const { content, labels } = subject.make();
        expect(labels.get('actor/settings')).toBeUndefined();
        const ref = content.put(bytes('{"a":1}'));
        labels.set('actor/settings', ref);
        expect(labels.get('actor/settings')).toBe(ref);
      });

      it('are replaced by a second set, and the old content stays', () => {
        const { content, labels } = subject.make();
        const v1 = content.put(bytes('v1'));
        const v2 = content.put(bytes('v2'));
        labels.set('chats', v1);
        labels.set('chats', v2);
        expect(labels.get('chats')).toBe(v2);
        expect(new TextDecoder().decode(content.get(v1))).toBe('v1');
      });

      it('are written with their content in one step, which replaces what they named and keeps it', () => {
        const { content, labels } = subject.make();
        const v1 = labels.write('chats', bytes('v1'));
        expect(v1).toBe(sha1(bytes('v1')));
        const v2 = labels.write('chats', bytes('v2'));
        expect(labels.get('chats')).toBe(v2);
        expect(new TextDecoder().decode(content.get(v2))).toBe('v2');
        expect(new TextDecoder().decode(content.get(v1))).toBe('v1');
        // The same bytes under a second label are one object.
        expect(labels.write('chat/other', bytes('v2'))).toBe(v2);
        // Text is stored as its UTF-8, the same object as those bytes.
        expect(labels.write('chat/text', 'v3 ✓ ü')).toBe(sha1(bytes('v3 ✓ ü')));
        expect(new TextDecoder().decode(content.get(labels.get('chat/text')!))).toBe('v3 ✓ ü');
        expect(labels.write('chat/text2', 'v2')).toBe(v2);
      });

      it('point only at content that exists: setting one to an absent ref throws and keeps the old ref', () => {
        const { content, labels } = subject.make();
        const kept = content.put(bytes('kept'));
        labels.set('chats', kept);
        expect(() => labels.set('chats', sha1(bytes('absent')))).toThrow();
        expect(() => labels.set('chat/new', sha1(bytes('absent')))).toThrow();
        expect(labels.get('chats')).toBe(kept);
        expect(labels.get('chat/new')).toBeUndefined();
      });

      it('are removed alone: the content and other labels on it stay', () => {
        const { content, labels } = subject.make();
        const ref = content.put(bytes('shared'));
        labels.set('chat/a', ref);
        labels.set('chat/b', ref);
        labels.remove('chat/a');
        expect(labels.get('chat/a')).toBeUndefined();
        expect(labels.get('chat/b')).toBe(ref);
        expect(content.has(ref)).toBe(true);
      });

      it('may be removed when absent', () => {
        const { labels } = subject.make();
        expect(() => labels.remove('chat/never-set')).not.toThrow();
        expect(labels.get('chat/never-set')).toBeUndefined();
      });

      it('keep the names the core uses apart: nested paths, siblings, look-alikes', () => {
        const { content, labels } = subject.make();
        const names = ['chats', 'chat/c1', 'kids/c1/root', 'kids/c1/bafyreia', 'kids/c2/root', 'node/bafyreib', 'theater-chat/meta', 'search/journal'];
        const refs = names.map((name) => content.put(bytes(`value of ${name}`)));
        names.forEach((name, i) => labels.set(name, refs[i]!));
        names.forEach((name, i) => expect(labels.get(name), name).toBe(refs[i]));
        labels.remove('kids/c1/root');
        expect(labels.get('kids/c1/root')).toBeUndefined();
        expect(labels.get('kids/c1/bafyreia')).toBe(refs[3]);
        expect(labels.get('kids/c2/root')).toBe(refs[4]);
      });
    });

    if (subject.reopen) {
      const reopen = subject.reopen;
      it('keeps content and labels when the store is opened again', () => {
        const ports = subject.make();
        const ref = ports.content.put(bytes('durable'));
        ports.labels.set('chats', ref);
        ports.labels.set('chat/gone', ref);
        ports.labels.remove('chat/gone');
        const again = reopen(ports);
        expect(again.labels.get('chats')).toBe(ref);
        expect(again.labels.get('chat/gone')).toBeUndefined();
        expect(new TextDecoder().decode(again.content.get(ref))).toBe('durable');
      });
    }
  });
}
