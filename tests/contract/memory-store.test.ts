/** The storage contract over the in-memory ports that native tests and benchmarks run the core on. */
import { memoryPorts } from '../helpers/memory-ports.js';
import { storageContract } from './storage.case.js';

storageContract('memory', { make: memoryPorts });
