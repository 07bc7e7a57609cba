/**
 * Labels as the one actor writing a store sees them: a label it has read or written is answered
 * from memory afterwards, so an append no longer asks the host again for labels it wrote itself
 * (its chat's record, for one), each a host call with its canonical-ABI copies. This holds only while nothing else writes the store during the instance's
 * life: theater-chat runs one actor per store id, and a fresh instance starts with nothing
 * remembered. Labels named by their content (`node/…`, `blob/…`, `pack/…`) never move, and the node cache
 * already keeps what matters of them: remembering them would only cost memory per message.
 */
import type { Labels } from './ports.js';

const NAMED_BY_CONTENT = /^(node|blob|pack)\//;

/** About the records, branch indexes and search labels of every chat in use. */
const REMEMBERED = 4_096;

export function rememberedLabels(labels: Labels, maxEntries = REMEMBERED): Labels {
  /** `null`: known to name nothing. */
  const known = new Map<string, string | null>();
  const remember = (label: string, ref: string | null) => {
    if (NAMED_BY_CONTENT.test(label)) return;
    known.delete(label);
    known.set(label, ref);
    if (known.size > maxEntries) known.delete(known.keys().next().value as string);
  };
  /** A call that failed may or may not have changed the label: ask the host next time. */
  const changing = <T>(label: string, call: () => T): T => {
    try {
      return call();
    } catch (e) {
      known.delete(label);
      throw e;
    }
  };
  return {
    get(label) {
      const ref = known.get(label);
      if (ref !== undefined) return ref ?? undefined;
      const read = labels.get(label);
      remember(label, read ?? null);
      return read;
    },
    set(label, ref) {
      changing(label, () => labels.set(label, ref));
      remember(label, ref);
    },
    write(label, content) {
      const ref = changing(label, () => labels.write(label, content));
      remember(label, ref);
      return ref;
    },
    remove(label) {
      changing(label, () => labels.remove(label));
      remember(label, null);
    },
  };
}
