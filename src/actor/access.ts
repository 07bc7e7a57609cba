/**
 * The access key asked for when served beyond loopback: read at every call from the environment
 * or from the key file in the filesystem handler's folder, and never kept, so it is in no state or
 * log, and writing a new key file rotates it at once. From the file it is in no chain record either:
 * c50 records `get-var`'s answer (theater-handler-environment/src/lib.rs:165-171), not `read-file`'s.
 */
import { environment, filesystem } from './theater.js';

const KEY_FILE = 'access-key.txt';

export function accessKey(): string | undefined {
  const fromEnv = environment.getVar('THEATER_CHAT_ACCESS_KEY')?.trim();
  if (fromEnv) return fromEnv;
  try {
    if (!filesystem.pathExists(KEY_FILE)) return undefined;
    return new TextDecoder().decode(filesystem.readFile(KEY_FILE)).trim() || undefined;
  } catch {
    return undefined;
  }
}
