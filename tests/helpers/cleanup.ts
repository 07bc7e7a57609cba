/** Runs around every test file: its hosts' data folders go once the file's own hooks are done. */
import { afterAll } from 'vitest';
import { removeTempDirs } from './host.js';

afterAll(removeTempDirs);
