/** The core's ports over Theater: the store, the log, entropy, and generator actors. */
import type { Labels, Ports } from '../core/ports.js';
import { rememberedLabels } from '../core/remembered-labels.js';
import type { GeneratorLink } from '../core/generator-pool.js';
import { messages, store, supervisor } from './theater.js';
import { describe, log, ownBytes } from './common.js';
import { ScratchBuffers } from './scratch.js';

/**
 * Generator actors through Theater: started by supervisor.spawn (the id comes back before the
 * child has compiled), reached on a message-server channel once it has registered its mailbox.
 */
export function theaterGenerators(manifest: string): GeneratorLink {
  return {
    spawn: () => {
      try {
        return supervisor.spawn(manifest, undefined);
      } catch (e) {
        throw new Error(describe(e));
      }
    },
    // c50 answers "Actor not found" until the child's handlers are set up: it is still starting.
    open: (id) => {
      try {
        return messages.openChannel(id, new Uint8Array());
      } catch {
        return undefined;
      }
    },
    send: (channel, message) => {
      try {
        messages.sendOnChannel(channel, message);
      } catch (e) {
        throw new Error(describe(e));
      }
    },
    close: (channel) => {
      try {
        messages.closeChannel(channel);
      } catch (e) {
        throw new Error(describe(e));
      }
    },
  };
}

/** Store writes of text: each is copied by the host call before the next one. */
const scratch = new ScratchBuffers();

/** One per store for the instance's life: init and the calls after it must see one another's writes. */
const labelsByStore = new Map<string, Labels>();

export function theaterPorts(storeId: string): Ports {
  const ref = (hash: string) => ({ hash });
  let labels = labelsByStore.get(storeId);
  if (!labels) {
    labels = rememberedLabels({
      get: (label) => store.getByLabel(storeId, label)?.hash,
      set: (label, hash) => store.replaceAtLabel(storeId, label, ref(hash)),
      write: (label, content) => store.replaceContentAtLabel(storeId, label, typeof content === 'string' ? scratch.encode(content) : content).hash,
      remove: (label) => store.removeLabel(storeId, label),
    });
    labelsByStore.set(storeId, labels);
  }
  return {
    content: {
      put: (bytes) => store.store(storeId, bytes).hash,
      get: (hash) => ownBytes(store.get(storeId, ref(hash))),
      has: (hash) => store.exists(storeId, ref(hash)),
    },
    labels,
    log: {
      info: (m) => log(`info: ${m}`),
      warn: (m) => log(`warn: ${m}`),
      error: (m) => log(`error: ${m}`),
    },
    entropy: { uuid: () => store.new() },
  };
}

