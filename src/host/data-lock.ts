/**
 * One host per data folder. Two hosts on one store each keep their own idea of every label (a
 * chat's leaf, its branch index) and write it back: the one that writes last drops the other's
 * messages from their branches, though each was acknowledged. A second host is refused while the
 * first lives; a folder left locked by a host that was killed is taken over.
 */
import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'host.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const holderOf = (path: string): number | undefined => {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

/** Locks `home` for this process; the returned function lets it go (also done when the process exits). */
export function lockDataFolder(home: string, pid = process.pid): () => void {
  const path = join(home, LOCK_FILE);
  // Written whole first, then linked into place: the lock never exists without its process id.
  const draft = `${path}.${pid}`;
  writeFileSync(draft, `${pid}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(draft, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const holder = holderOf(path);
        if (holder !== undefined && holder !== pid && alive(holder)) {
          throw new Error(`${home} is in use by another theater-chat host (process ${holder}): stop it first, or give this one another --data folder (if no such host runs, remove ${path})`);
        }
        if (attempt === 2) throw new Error(`could not lock ${home}: ${path} keeps coming back`);
        // Left by a host that was killed. Another host starting now may have taken it over since it
        // was read: only the lock of that same dead process goes.
        if (holderOf(path) === holder) rmSync(path, { force: true });
      }
    }
  } finally {
    unlinkSync(draft);
  }
  const release = () => {
    if (holderOf(path) === pid) unlinkSync(path);
    process.off('exit', release);
  };
  process.on('exit', release);
  return release;
}
