/** The storage contract over the Node host's file store, as native tools (fsck, import) open it. */
import { filePorts } from '../../src/host/file-ports.js';
import { tempDir } from '../helpers/host.js';
import { storageContract, type StoragePorts } from './storage.case.js';

const roots = new WeakMap<StoragePorts, string>();

storageContract('file', {
  make() {
    const root = tempDir('theater-chat-contract-');
    const ports = filePorts(root);
    roots.set(ports, root);
    return ports;
  },
  reopen: (ports) => filePorts(roots.get(ports)!),
});
