/**
 * What can be checked of the flake here (nixpkgs cannot be fetched on these machines): it parses,
 * every path it names exists, and what its install phase copies is what `npm run build` makes.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/host.js';
import { HOST_PROCESS_ENV } from '../../src/host/process-env.js';

const flake = readFileSync(join(ROOT, 'flake.nix'), 'utf8');
const hasNix = spawnSync('nix-instantiate', ['--version']).status === 0;
const NO_NIX = 'flake.nix was NOT parsed: nix-instantiate is missing (Debian: apt-get install nix-bin; .ci/run installs it)';

describe('flake.nix', () => {
  // Nix is not an npm dependency: on a machine without it the check is skipped, visibly (a skip
  // with its reason, and a warning in the output), never passed. In CI it must run.
  it('parses', (ctx) => {
    if (!hasNix && !process.env.CI) {
      console.warn(`SKIPPED: ${NO_NIX}`);
      ctx.skip(NO_NIX);
    }
    const r = spawnSync('nix-instantiate', ['--parse', join(ROOT, 'flake.nix')], { encoding: 'utf8' });
    expect(r.error, NO_NIX).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('names only files that exist', () => {
    const paths = [...flake.matchAll(/(?<![\w$}])\.\/([\w./-]+)/g)].map((m) => m[1]!).filter((p) => p !== '.');
    expect(paths.length).toBeGreaterThan(8);
    for (const p of paths) expect(existsSync(join(ROOT, p)), p).toBe(true);
  });

  it('installs what the build makes', () => {
    // Every component and every manifest the actor starts from: the generator is spawned from generator.toml.
    for (const p of ['dist/chat.wasm', 'dist/generator.wasm', 'generator.toml', 'dist/.jco-cache', 'assets/init.json', 'bin/theater-chat.js']) {
      expect(flake, p).toContain(p);
      expect(existsSync(join(ROOT, p)), p).toBe(true);
    }
    // `cp -r dist bin package.json node_modules` carries the host.
    expect(flake).toContain('cp -r dist bin package.json node_modules');
    for (const p of ['dist/host/cli.js', 'dist/host/worker.js']) expect(existsSync(join(ROOT, p)), p).toBe(true);
  });

  it('starts the host with the environment every other launcher gives it', () => {
    for (const [name, value] of Object.entries(HOST_PROCESS_ENV)) expect(flake).toContain(`export ${name}=${value}`);
  });

  it('pins nixpkgs by revision, not by a branch whose content moves', () => {
    expect(flake).toMatch(/nixpkgs\.url = "github:NixOS\/nixpkgs\/[0-9a-f]{40}";/);
  });

  it('points each installed manifest at its installed component', () => {
    expect(flake).toContain(`sed 's#^component = .*#component = "lib/chat.wasm"#' actor.toml > $out/actor.toml`);
    expect(flake).toContain(`sed 's#^component = .*#component = "lib/generator.wasm"#' generator.toml > $out/generator.toml`);
  });

  it('pins Theater at c50b1871 and builds it from its Cargo.lock', () => {
    expect(flake).toContain('colinrozzi/theater/c50b18716041172d3396fd3b3a0a1ec489ec5a92');
    expect(flake).toMatch(/cargoLock\.lockFile = "\$\{theater-src\}\/Cargo\.lock"/);
    expect(flake).toMatch(/"-p" "theater-cli" "-p" "theater-server-cli"/);
  });
});
