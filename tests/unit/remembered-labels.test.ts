import { describe, expect, it } from 'vitest';
import type { Labels } from '../../src/core/ports.js';
import { rememberedLabels } from '../../src/core/remembered-labels.js';

/** A store's labels that count what is asked of them, and fail on request. */
function hostLabels() {
  const map = new Map<string, string>();
  const asked: string[] = [];
  let failNext = false;
  const maybeFail = () => {
    if (failNext) {
      failNext = false;
      throw new Error('store unavailable');
    }
  };
  const labels: Labels = {
    get: (label) => (asked.push(`get ${label}`), map.get(label)),
    set: (label, ref) => (asked.push(`set ${label}`), maybeFail(), void map.set(label, ref)),
    write: (label, content) => {
      asked.push(`write ${label}`);
      maybeFail();
      const ref = `ref-of-${String(content)}`;
      map.set(label, ref);
      return ref;
    },
    remove: (label) => (asked.push(`remove ${label}`), maybeFail(), void map.delete(label)),
  };
  return { labels, map, asked, failNextCall: () => (failNext = true) };
}

describe('labels remembered by the one actor writing the store', () => {
  it('answers a label it wrote, read or removed without asking the store again', () => {
    const host = hostLabels();
    const labels = rememberedLabels(host.labels);
    host.map.set('chats', 'r0');
    expect(labels.get('chats')).toBe('r0');
    expect(labels.get('chats')).toBe('r0');
    expect(labels.get('kids/c/root')).toBeUndefined();
    expect(labels.get('kids/c/root')).toBeUndefined();
    expect(labels.write('chat/c', 'record')).toBe('ref-of-record');
    expect(labels.get('chat/c')).toBe('ref-of-record');
    labels.set('chats', 'r1');
    expect(labels.get('chats')).toBe('r1');
    labels.remove('chat/c');
    expect(labels.get('chat/c')).toBeUndefined();
    expect(host.asked).toEqual(['get chats', 'get kids/c/root', 'write chat/c', 'set chats', 'remove chat/c']);
  });

  it('asks the store again after a call that failed, whatever it did', () => {
    const host = hostLabels();
    const labels = rememberedLabels(host.labels);
    labels.write('chat/c', 'one');
    host.failNextCall();
    expect(() => labels.write('chat/c', 'two')).toThrow('store unavailable');
    expect(labels.get('chat/c')).toBe('ref-of-one');
    expect(host.asked.at(-1)).toBe('get chat/c');
  });

  it('does not keep labels named by their content, and keeps a bounded number of the others', () => {
    const host = hostLabels();
    const labels = rememberedLabels(host.labels, 3);
    labels.write('node/bagu1', 'n');
    labels.get('node/bagu1');
    for (const label of ['a', 'b', 'c', 'd']) labels.write(label, label);
    labels.get('d');
    labels.get('a');
    expect(host.asked.filter((a) => a.startsWith('get'))).toEqual(['get node/bagu1', 'get a']);
  });
});
