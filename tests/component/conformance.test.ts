import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../fixtures/build-fixtures.js';
import { ROOT, startHost, writeManifest } from '../helpers/host.js';

function checkTheater(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/check-theater.mjs'), ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}
const fixture = (name: string) => join(FIXTURES, `${name}.wasm`);

/** A c50 manifest for `component` in test-output (c50's parser takes no unknown keys, so roles are CLI flags). */
function manifest(name: string, component: string): string {
  const dir = join(ROOT, 'test-output/conformance-manifests');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.toml`);
  writeFileSync(path, `name = "${name}"\nversion = "0.1.0"\ncomponent = ${JSON.stringify(component)}\n\n[[handler]]\ntype = "runtime"\n`);
  return path;
}

/** One run over every fixture that must fail (spawning one check per fixture costs seconds each); each test reads its part. */
const FAILING = ['wasi-import', 'no-handler-import', 'process-import', 'versioned-package', 'unlinkable-import', 'undefined-function', 'u32-total-size', 'no-supervisor-handlers', 'partial-http-handlers', 'old-init'];
let failing: { code: number | null; sections: Map<string, string> };
const section = (name: string): string => {
  const text = failing.sections.get(name);
  if (text === undefined) throw new Error(`no report for ${name}.wasm`);
  expect(text).toMatch(/would not run on Theater c50b1871:/);
  return text;
};

describe('npm run check:theater', () => {
  beforeAll(() => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/check-theater.mjs'), ...FAILING.map(fixture)], { encoding: 'utf8' });
    const sections = new Map<string, string>();
    for (const part of r.stderr.split(/^(?=check:theater: )/m)) {
      const name = /^check:theater: .*?([\w-]+)\.wasm /.exec(part)?.[1];
      if (name) sections.set(name, part);
    }
    failing = { code: r.status, sections };
  });

  it('fails, with a report for each, when every component given fails', () => {
    expect(failing.code).toBe(1);
    expect([...failing.sections.keys()]).toEqual(FAILING);
  });

  it('passes the chat component', () => {
    const r = checkTheater(join(ROOT, 'dist/chat.wasm'));
    expect(r.out).toMatch(/links on Theater c50b1871/);
    expect(r.code).toBe(0);
  });

  it('passes a component built from every interface of wit/deps, both ways round', () => {
    const r = checkTheater(fixture('all-interfaces'));
    expect(r.out).toMatch(/links on Theater c50b1871/);
    expect(r.out).toMatch(/imports .*theater:simple\/message-server-host/);
    expect(r.code).toBe(0);
  });

  it('fails a component that imports WASI', () => {
    const r = { out: section('wasi-import') };
    expect(r.out).toMatch(/imports wasi:random\/random@0\.2\.\d+: Theater c50 links no WASI/);
  });

  it('fails a component that imports an interface no c50 handler provides', () => {
    const r = { out: section('no-handler-import') };
    expect(r.out).toMatch(/imports theater:simple\/timing: no Theater c50 handler provides it \(crates\/theater-handler-timing/);
  });

  it('fails a component that imports an interface this project leaves out', () => {
    const r = { out: section('process-import') };
    expect(r.out).toMatch(/imports theater:simple\/process: left out of this project's Theater profile: c50 does link it/);
  });

  it('fails a component built against the versioned package, naming each consequence', () => {
    const r = { out: section('versioned-package') };
    expect(r.out).toMatch(/imports theater:simple\/runtime@0\.1\.1: not an interface Theater c50 links/);
    expect(r.out).toMatch(/does not export theater:simple\/actor, which Theater c50 calls/);
    expect(r.out).toMatch(/exports theater:simple\/actor@0\.1\.1, which Theater c50 never calls/);
  });

  it('fails a component that imports a function c50 cannot link', () => {
    const r = { out: section('unlinkable-import') };
    expect(r.out).toMatch(/theater:simple\/store\.remove-from-label: declared in the WIT but Theater c50 cannot link it: .*crates\/theater-handler-store/);
  });

  it('fails a component that imports a function c50 does not define', () => {
    const r = { out: section('undefined-function') };
    expect(r.out).toMatch(/imports theater:simple\/store\.compact: Theater c50 does not define it/);
  });

  it('fails a component that imports a function with another type than c50 links (store.calculate-total-size as u32)', () => {
    const r = { out: section('u32-total-size') };
    expect(r.out).toMatch(/imports theater:simple\/store\.calculate-total-size as \(func .*\(result u32 .*; Theater c50 defines \(func .*\(result u64 /);
    expect(r.out.match(/^ {2}- /gm)).toHaveLength(1);
  });

  it('fails a component that imports supervisor without the exports c50 then calls', () => {
    const r = { out: section('no-supervisor-handlers') };
    expect(r.out).toMatch(/does not export theater:simple\/supervisor-handlers, which Theater c50 calls/);
  });

  it('fails a component whose http-handlers lacks a function c50 calls', () => {
    const r = { out: section('partial-http-handlers') };
    expect(r.out).toMatch(/exports theater:simple\/http-handlers without handle-websocket-disconnect \(FunctionNotFound on first use\)/);
  });

  it("fails a component whose init has 868's signature", () => {
    const r = { out: section('old-init') };
    expect(r.out).toMatch(/exports theater:simple\/actor\.init as .*params.*the actor would never start/);
  });

  it('the host refuses to start a component that imports WASI', async () => {
    await expect(startHost({ manifest: writeManifest(fixture('wasi-import'), {}) })).rejects.toThrow(/cannot run on Theater c50b1871[\s\S]*wasi:random/);
  });
});

describe('check:theater over several components', () => {
  it('checks each manifest through the component it names, and a child without http-framework passes', () => {
    const r = checkTheater('--manifest', manifest('parent', fixture('probe')), '--child', '--manifest', manifest('child', fixture('plain-child')));
    expect(r.out).toMatch(/probe\.wasm \(.*parent\.toml\) links on Theater c50b1871/);
    expect(r.out).toMatch(/plain-child\.wasm \(.*child\.toml\) as a child actor links on Theater c50b1871/);
    expect(r.code).toBe(0);
  });

  it('fails a child actor that imports http-framework, though the same component passes as the root actor', () => {
    const r = checkTheater(fixture('probe'), '--child', '--manifest', manifest('child-with-http', fixture('probe')), fixture('plain-child'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/probe\.wasm links on Theater c50b1871/);
    expect(r.out).toMatch(/probe\.wasm \(.*child-with-http\.toml\) as a child actor would not run on Theater c50b1871:\n {2}- imports theater:simple\/http-framework, which a child actor must not: .*every HTTP server/);
    // --child applies to the next component only.
    expect(r.out).toMatch(/plain-child\.wasm links on Theater c50b1871/);
  });

  it('fails a run where any one component fails, after checking all of them', () => {
    const r = checkTheater(fixture('u32-total-size'), fixture('plain-child'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/u32-total-size\.wasm would not run/);
    expect(r.out).toMatch(/plain-child\.wasm links on Theater c50b1871/);
  });

  it('refuses a dangling --child and a manifest whose component is missing', () => {
    expect(checkTheater(fixture('probe'), '--child')).toMatchObject({ code: 2, out: expect.stringMatching(/--child must come before/) });
    const r = checkTheater('--manifest', manifest('missing', join(FIXTURES, 'no-such.wasm')));
    expect(r).toMatchObject({ code: 2, out: expect.stringMatching(/missing\.toml: component .*no-such\.wasm does not exist/) });
  });
});
