/** The filesystem and environment handlers, with the confinement the manifest asks for. */
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { EnvironmentImports, FilesystemImports } from './wit-types.js';

/** Throws (a string, as WIT errors travel) unless `path` stays inside `base`, links included. */
export function confine(base: string, path: string): string {
  if (isAbsolute(path) || path.split(/[\\/]/).includes('..')) throw `path "${path}" is outside the actor's folder`;
  const full = resolve(base, path);
  let real = full;
  // Resolve the deepest existing ancestor so a symlink cannot lead out.
  let probe = full;
  while (!existsSync(probe) && probe !== base) probe = resolve(probe, '..');
  const realBase = realpathSync(base);
  real = join(realpathSync(probe), relative(probe, full));
  if (real !== realBase && !real.startsWith(realBase + sep)) throw `path "${path}" is outside the actor's folder`;
  return real;
}

function attempt<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (typeof e === 'string') throw e;
    throw `${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}

export function filesystemImports(base: string | undefined): FilesystemImports {
  const at = (path: string) => {
    if (!base) throw 'no filesystem path is configured for this actor';
    return confine(base, path);
  };
  return {
    readFile: (p) => attempt('read-file', () => new Uint8Array(readFileSync(at(p)))),
    writeFile: (p, content) => attempt('write-file', () => writeFileSync(at(p), content)),
    listFiles: (p) => attempt('list-files', () => readdirSync(at(p))),
    deleteFile: (p) => attempt('delete-file', () => rmSync(at(p))),
    createDir: (p) => attempt('create-dir', () => void mkdirSync(at(p), { recursive: true })),
    deleteDir: (p) => attempt('delete-dir', () => rmdirSync(at(p))),
    pathExists: (p) => attempt('path-exists', () => existsSync(at(p))),
    executeCommand: () => {
      throw 'execute-command is disabled on this host';
    },
    executeNixCommand: () => {
      throw 'execute-nix-command is disabled on this host';
    },
  };
}

/** Only the variables the manifest allows are visible; c50 shows all, we do not. */
export function environmentImports(allowed: readonly string[], env: NodeJS.ProcessEnv): EnvironmentImports {
  const visible = (name: string) => allowed.includes(name) && env[name] !== undefined;
  return {
    getVar: (name) => (visible(name) ? env[name] : undefined),
    exists: (name) => visible(name),
    listVars: () => allowed.filter(visible).map((name) => [name, env[name]!] as [string, string]),
  };
}
