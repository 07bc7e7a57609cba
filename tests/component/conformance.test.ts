import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES } from '../fixtures/build-fixtures.js';
import { ROOT, startHost, writeManifest } from '../helpers/host.js';

function checkTheater(wasm: string) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/check-theater.mjs'), wasm], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('npm run check:theater', () => {
  it('passes the chat component', () => {
    const r = checkTheater(join(ROOT, 'dist/chat.wasm'));
    expect(r.out).toMatch(/links on Theater c50b1871/);
    expect(r.code).toBe(0);
  });

  it('fails a component that imports WASI', () => {
    const r = checkTheater(join(FIXTURES, 'wasi-import.wasm'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/imports wasi:random\/random@0\.2\.\d+: Theater c50 links no WASI/);
  });

  it("fails a component whose init has 868's signature", () => {
    const r = checkTheater(join(FIXTURES, 'old-init.wasm'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/exports theater:simple\/actor\.init as .*params.*the actor would never start/);
  });

  it('fails a component that imports a function c50 cannot link', () => {
    const r = checkTheater(join(FIXTURES, 'unlinkable-import.wasm'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/theater:simple\/store\.remove-from-label: declared in the WIT but Theater c50 cannot link it/);
  });

  it('the host refuses to start a component that imports WASI', async () => {
    await expect(startHost({ manifest: writeManifest(join(FIXTURES, 'wasi-import.wasm'), {}) })).rejects.toThrow(/cannot run on Theater c50b1871[\s\S]*wasi:random/);
  });
});
