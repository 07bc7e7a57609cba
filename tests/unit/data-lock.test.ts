import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE, lockDataFolder } from '../../src/host/data-lock.js';
import { tempDir } from '../helpers/host.js';

/** The id of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('one host per data folder', () => {
  it('refuses a second host while the first lives, naming its process', () => {
    const home = tempDir();
    const release = lockDataFolder(home);
    expect(() => lockDataFolder(home, process.pid + 100_000)).toThrow(`in use by another theater-chat host (process ${process.pid})`);
    release();
    expect(existsSync(join(home, LOCK_FILE))).toBe(false);
    lockDataFolder(home, process.pid + 100_000)();
  });

  it('takes over a folder left locked by a host that was killed', () => {
    const home = tempDir();
    writeFileSync(join(home, LOCK_FILE), `${deadPid()}\n`);
    const release = lockDataFolder(home);
    expect(readFileSync(join(home, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    release();
  });

  it('lets go only of its own lock', () => {
    const home = tempDir();
    const release = lockDataFolder(home);
    writeFileSync(join(home, LOCK_FILE), `${deadPid()}\n`);
    release();
    expect(existsSync(join(home, LOCK_FILE))).toBe(true);
  });
});
