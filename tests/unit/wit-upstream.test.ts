import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { C50_FACTS, C50_UPSTREAM, THEATER_C50, UPSTREAM_INTERFACES } from '../../src/host/linkable.js';
import { witDrift } from '../../src/host/wit-drift.js';
import { normaliseWit, parseWit } from '../../src/host/wit-text.js';
import { ROOT } from '../helpers/host.js';

const DEPS = join(ROOT, 'wit/deps/theater-simple');
const depsFiles = (): Record<string, string> =>
  Object.fromEntries(readdirSync(DEPS).filter((f) => f.endsWith('.wit')).map((f) => [f, readFileSync(join(DEPS, f), 'utf8')]));

/** The handler crate whose `fn imports`/`fn exports` names `iface`. */
const handlerOf = (iface: string) => Object.entries(C50_UPSTREAM.handlers).find(([, h]) => h.imports.includes(iface) || h.exports.includes(iface));

describe('the recorded upstream WIT of Theater c50b1871', () => {
  it('is in normal form and matches its recorded hashes', () => {
    expect(Object.keys(C50_UPSTREAM.files).length).toBeGreaterThan(10);
    for (const [path, f] of Object.entries(C50_UPSTREAM.files)) {
      expect(normaliseWit(f.text), path).toBe(f.text);
      expect(createHash('sha256').update(f.text).digest('hex'), path).toBe(f.sha256);
      expect(f.blob, path).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('normalises away comments, layout and trailing commas, and nothing else', () => {
    const a = normaliseWit('package a:b;\n/// doc\ninterface i { // note\n  record r { x: u64, }\n  f: func(\n    s: string,\n  ) -> result<u64, string>; /* block */\n}');
    expect(a).toBe('package a:b;interface i{record r{x:u64}f:func(s:string)->result<u64,string>;}');
    expect(normaliseWit('package a:b; interface i { f: func() -> result<u32, string>; }')).not.toBe(normaliseWit('package a:b; interface i { f: func() -> result<u64, string>; }'));
  });
});

describe('wit/deps against c50b1871', () => {
  it('equals the upstream WIT minus the documented removals', () => {
    expect(witDrift(depsFiles())).toEqual([]);
  });

  it('names the drifted function when a type changes, and any added, dropped or undocumented item', () => {
    const files = depsFiles();
    const drifted = witDrift({ ...files, 'store.wit': files['store.wit']!.replace('calculate-total-size: func(store-id: string) -> result<u64, string>', 'calculate-total-size: func(store-id: string) -> result<u32, string>') });
    expect(drifted).toEqual([
      expect.stringMatching(/^theater:simple\/store\.calculate-total-size: wit\/deps says `.*result<u32,string>;`; upstream crates\/theater\/wit\/store\.wit@c50b1871 says `.*result<u64,string>;`$/),
    ]);
    const edited = witDrift({
      ...files,
      'runtime.wit': files['runtime.wit']!.replace('log: func(msg: string);', 'get-chain: func() -> list<u8>;'),
      'extra.wit': 'package theater:simple;\ninterface timing { now: func() -> u64; }\n',
    });
    expect(edited).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^theater:simple\/runtime\.get-chain: wit\/deps keeps it, but theater-c50\.json removes it/),
        expect.stringMatching(/^theater:simple\/runtime\.log: missing from wit\/deps/),
        expect.stringMatching(/^theater:simple\/timing: wit\/deps\/extra\.wit keeps it, but theater-c50\.json removes it/),
      ]),
    );
    expect(edited).toHaveLength(3);
  });
});

describe('the removals and rules of theater-c50.json, against c50b1871 itself', () => {
  it('removes only functions the upstream WIT declares, and the handler source agrees with each reason', () => {
    for (const [iface, fns] of Object.entries(C50_FACTS.removed.functions)) {
      const declared = UPSTREAM_INTERFACES[iface]!.items.filter((i) => i.kind === 'func').map((i) => i.name);
      const [crate, handler] = handlerOf(iface)!;
      for (const [fn, removal] of Object.entries(fns)) {
        expect(declared, `${iface}.${fn}`).toContain(fn);
        expect(removal.source, `${iface}.${fn}`).toContain(crate);
        // "missing": the handler never defines it; "type": it does, with Rust types the WIT contradicts.
        if (removal.why === 'missing') expect(Object.keys(handler.defines[iface]!), `${iface}.${fn}`).not.toContain(fn);
        else expect([removal.why, Object.keys(handler.defines[iface]!)], `${iface}.${fn}`).toEqual(['type', expect.arrayContaining([fn])]);
      }
    }
  });

  it('keeps only functions the handler of each imported interface defines', () => {
    for (const [iface, fns] of Object.entries(THEATER_C50.imports)) {
      if (fns.length === 0) continue; // type-only instances need no definition
      const [crate, handler] = handlerOf(iface) ?? [iface, undefined];
      expect(handler, `a handler activated by ${iface}`).toBeDefined();
      expect(Object.keys(handler!.defines[iface] ?? {}), `${crate} defines ${iface}`).toEqual(expect.arrayContaining(fns));
    }
  });

  it('says "no handler" only of interfaces no handler names, and "not used" only of ones a handler does', () => {
    for (const [iface, removal] of Object.entries(C50_FACTS.removed.interfaces)) {
      expect(UPSTREAM_INTERFACES[iface], iface).toBeDefined();
      if (removal.why === 'no-handler') expect(handlerOf(iface), iface).toBeUndefined();
      else expect([removal.why, handlerOf(iface)?.[0]], iface).toEqual(['not-used', expect.stringMatching(/^crates\/theater-handler-/)]);
    }
    expect(THEATER_C50.noHandler.sort()).toEqual(['theater:simple/random', 'theater:simple/timing', 'theater:simple/websocket-server']);
  });

  it('requires the exports each handler registers for the interface it is activated by', () => {
    for (const [crate, h] of Object.entries(C50_UPSTREAM.handlers)) {
      const exports = h.exports.filter((e) => e.startsWith('theater:simple/') && !(e in C50_FACTS.removed.interfaces));
      if (exports.length === 0) continue;
      const imports = h.imports.filter((i) => i.startsWith('theater:simple/') && i !== 'theater:simple/types');
      // The runtime handler is active for every actor (it owns the actor export), hence "always".
      const required = crate.endsWith('-runtime') ? C50_FACTS.exportsRequiredBy.always : C50_FACTS.exportsRequiredBy[imports[0]!];
      expect([imports.length, required], crate).toEqual([1, exports]);
    }
  });

  it('removes only uses and worlds the upstream WIT has', () => {
    for (const [iface, uses] of Object.entries(C50_FACTS.removed.uses)) {
      for (const use of Object.keys(uses)) expect(UPSTREAM_INTERFACES[iface]!.items.map((i) => i.text), iface).toContain(use);
    }
    const worlds = Object.values(C50_UPSTREAM.files).flatMap((f) => Object.keys(parseWit(f.text).worlds));
    expect(Object.keys(C50_FACTS.removed.worlds).sort()).toEqual(worlds.sort());
  });

  it('forbids a child actor the import the upstream http-framework handler shuts down for everyone', () => {
    const rule = C50_FACTS.roles.child!.mustNotImport;
    expect(Object.keys(rule)).toEqual(['theater:simple/http-framework']);
    expect(handlerOf('theater:simple/http-framework')![0]).toBe('crates/theater-handler-http-framework');
    expect(rule['theater:simple/http-framework']!.source).toContain('crates/theater-handler-http-framework/src/lib.rs');
  });
});
