/**
 * Text handed to the host as bytes, encoded into buffers the instance keeps. Inside the component a
 * fresh Uint8Array is malloc'd memory that SpiderMonkey frees only at a major collection, which
 * comes after ~100 MB of them (docs/perf-notes.md): an append made ~8 KB of such garbage, and the
 * instance's memory climbed by that much per message until then. The canonical ABI copies the
 * bytes during the host call, so a view into a kept buffer is enough.
 */
const encoder = new TextEncoder();
/** Larger texts (a long branch) are encoded on their own: a buffer this size is kept per slot at most. */
const KEEP_AT_MOST = 1024 * 1024;
/** A call with more texts than this in flight encodes the rest on their own. */
const SLOTS = 8;

export class ScratchBuffers {
  private readonly buffers: Uint8Array[] = [];

  /** `text` as UTF-8 in buffer `slot`: valid until that slot encodes again. */
  encode(text: string, slot = 0): Uint8Array {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const most = text.length * 3;
    if (most > KEEP_AT_MOST || slot >= SLOTS) return encoder.encode(text);
    let buffer = this.buffers[slot];
    if (!buffer || buffer.length < most) buffer = this.buffers[slot] = new Uint8Array(Math.max(most, 4096));
    const { written } = encoder.encodeInto(text, buffer);
    return buffer.subarray(0, written);
  }
}
