/**
 * The access key on the Node host: beyond loopback the actor asks for it (src/actor/access.ts reads
 * THEATER_CHAT_ACCESS_KEY, else access-key.txt in the filesystem handler's folder, at every call).
 * When neither is there at start, one is made here, the way Jupyter makes its token.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { isLoopback } from '../core/transport/guards.js';

export const ACCESS_KEY_FILE = 'access-key.txt';

export type KeySource = { kind: 'loopback' } | { kind: 'env' } | { kind: 'file'; path: string } | { kind: 'generated'; path: string; key: string };

export function ensureAccessKey(bindHost: string, filesystemBase: string | undefined, env: NodeJS.ProcessEnv): KeySource {
  if (isLoopback(bindHost)) return { kind: 'loopback' };
  if (env.THEATER_CHAT_ACCESS_KEY?.trim()) return { kind: 'env' };
  if (!filesystemBase) throw new Error('serving beyond loopback needs an access key: set THEATER_CHAT_ACCESS_KEY (the manifest gives the actor no folder for access-key.txt)');
  const path = join(filesystemBase, ACCESS_KEY_FILE);
  if (existsSync(path) && readFileSync(path, 'utf8').trim()) return { kind: 'file', path };
  // 128 bits from the OS; the file is the owner's alone, and `wx` never overwrites a key made meanwhile.
  const key = randomBytes(16).toString('hex');
  writeFileSync(path, `${key}\n`, { mode: 0o600, flag: existsSync(path) ? 'w' : 'wx' });
  chmodSync(path, 0o600);
  return { kind: 'generated', path, key };
}

/** Where a browser on the network reaches a server bound to a wildcard: this machine's first LAN address. */
export function reachableHost(bindHost: string): string {
  if (bindHost !== '0.0.0.0' && bindHost !== '::') return bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  for (const addresses of Object.values(networkInterfaces())) {
    const lan = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (lan) return lan.address;
  }
  return '127.0.0.1';
}
