/**
 * The access key asked for when served beyond loopback: read at every call from the environment
 * or from the key file in the filesystem handler's folder, and never kept, so it is in no state,
 * chain record or log, and writing a new key file rotates it at once.
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
