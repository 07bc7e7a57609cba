/**
 * Ancestry packs: copies of a run of a branch in one stored object. Read node by node, the first
 * walk of a long branch after a start costs two host calls per message (the node's label, then its
 * content), each with its canonical-ABI glue on both sides: most of that first read
 * (docs/perf-notes.md, phase 9). A pack holds a node and its ancestors up to the next pack point
 * above it, so a cold walk costs two calls per run instead.
 *
 * - Pack points are chosen by the id (about one node in 32), not by the chat: chats forked from
 *   a path share its packs, and the pack of a node is the same bytes whoever writes it.
 * - A pack is only a copy. Every node keeps its own label; a pack that is missing, cut short,
 *   damaged or written by an older encoding costs only the calls it would have saved, because
 *   every node taken from it is checked against the id its child names, as a node read alone is.
 */

const LENGTH_BYTES = 4;
/** A run this long without a pack point is rare ((31/32)^256 ≈ 3 in 10,000): the walk goes on alone. */
export const MAX_PACK_NODES = 256;
/** Long replies make large nodes: a pack stays small enough to read in one call without strain. */
export const MAX_PACK_BYTES = 1024 * 1024;

/**
 * The second-to-last character of a CID's base32 text is five bits of its sha-256 (the last one
 * carries only one, padded): uniform over the alphabet, so one node in 32 is a pack point.
 */
export const isPackPoint = (id: string): boolean => id.charCodeAt(id.length - 2) === 0x61; // 'a'

export const packLabel = (id: string): string => `pack/${id}`;

/** What a node's encoding takes in a pack, its length included. */
export const framedLength = (bytes: Uint8Array): number => LENGTH_BYTES + bytes.length;

/** The nodes' encodings, child first, each after its length (4 bytes, big-endian). */
export function encodePack(nodes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(nodes.reduce((n, b) => n + framedLength(b), 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const bytes of nodes) {
    view.setUint32(at, bytes.length);
    out.set(bytes, at + LENGTH_BYTES);
    at += LENGTH_BYTES + bytes.length;
  }
  return out;
}

/** The encodings a pack holds, child first; ends quietly where the bytes stop making sense. */
export function unpack(pack: Uint8Array): Uint8Array[] {
  const view = new DataView(pack.buffer, pack.byteOffset, pack.byteLength);
  const nodes: Uint8Array[] = [];
  for (let at = 0; at + LENGTH_BYTES <= pack.length; ) {
    const length = view.getUint32(at);
    const end = at + LENGTH_BYTES + length;
    if (length === 0 || end > pack.length) break;
    nodes.push(pack.subarray(at + LENGTH_BYTES, end));
    at = end;
  }
  return nodes;
}
