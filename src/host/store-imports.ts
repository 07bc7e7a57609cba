/**
 * c50's `theater:simple/store` import over the host's FileStore: exactly what the component's
 * store calls reach (the worker links it), and what the storage contract runs the adapter against.
 */
import { FileStore } from './store.js';
import type { StoreImports } from './wit-types.js';

export function storeImports(store: FileStore): StoreImports {
  return {
    new: () => store.newStore(),
    store: (id, content) => ({ hash: store.store(id, content) }),
    get: (id, ref) => store.get(id, ref.hash),
    exists: (id, ref) => store.exists(id, ref.hash),
    label: (id, label, ref) => store.label(id, label, ref.hash),
    getByLabel: (id, label) => {
      const hash = store.getByLabel(id, label);
      return hash === undefined ? undefined : { hash };
    },
    removeLabel: (id, label) => store.removeLabel(id, label),
    storeAtLabel: (id, label, content) => ({ hash: store.storeAtLabel(id, label, content) }),
    replaceContentAtLabel: (id, label, content) => ({ hash: store.storeAtLabel(id, label, content) }),
    replaceAtLabel: (id, label, ref) => store.label(id, label, ref.hash),
    listLabels: (id) => store.listLabels(id),
    listAllContent: (id) => store.listAllContent(id).map((hash) => ({ hash })),
    calculateTotalSize: (id) => store.calculateTotalSize(id),
  };
}
