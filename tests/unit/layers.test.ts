/**
 * The layers' import rules, read from the sources: core is pure (no adapter, host, UI or Node),
 * the UI runs in a browser (no Node, host or adapter), and only the adapter names Theater's WIT.
 * tsconfig.core.json and tsconfig.ui.json check the globals; this checks the imports.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from '../helpers/host.js';
import { filesUnder } from '../helpers/files.js';

interface Source {
  /** Relative to the repository root, with `/`. */
  path: string;
  text: string;
}

const CODE = /\.(ts|tsx|mts|js|mjs)$/;
/** Test actors and the bench's echo actor are components themselves: they import Theater's WIT as src/actor does. */
const OTHER_ACTOR = /^(tests\/fixtures\/[^/]+|scripts\/bench\/echo)-actor\.js$/;

/** Every module specifier a file names: static and dynamic imports, re-exports, `import type`, `typeof import()`. */
function specifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g)) found.push(m[2]!);
  return found;
}

const isNode = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec) || builtinModules.includes(spec.split('/')[0]!);

/** The folder of src/ a specifier lands in (`core`, `host`…), or undefined outside src/ or for a package. */
function layerOf(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const target = relative(ROOT, resolve(ROOT, dirname(from), spec)).split('\\').join('/');
  const m = /^src\/([^/]+)\//.exec(target);
  return m?.[1];
}

/** What each file may not import; an empty list means the layers hold. */
function layerViolations(sources: Source[]): string[] {
  const problems: string[] = [];
  for (const { path, text } of sources) {
    const layer = /^src\/([^/]+)\//.exec(path)?.[1];
    for (const spec of specifiers(text)) {
      const to = layerOf(path, spec);
      const say = (why: string) => problems.push(`${path} imports '${spec}': ${why}`);
      if (spec.startsWith('theater:') && layer !== 'actor' && !OTHER_ACTOR.test(path)) say('only src/actor names Theater\'s WIT');
      if (layer === 'core') {
        if (to === 'actor' || to === 'host' || to === 'ui') say(`core must not depend on ${to}/`);
        if (isNode(spec)) say('core runs inside the component, which has no Node');
      }
      if (layer === 'ui') {
        if (to === 'actor' || to === 'host') say(`the UI must not depend on ${to}/`);
        if (isNode(spec)) say('the UI runs in a browser, which has no Node');
      }
    }
  }
  return problems;
}

function sourcesUnder(folder: string): Source[] {
  return filesUnder(join(ROOT, folder))
    .filter((p) => CODE.test(p) && !p.endsWith('.d.ts'))
    .map((p) => {
      const path = `${folder}/${p.split('\\').join('/')}`;
      return { path, text: readFileSync(join(ROOT, path), 'utf8') };
    });
}

describe('layers', () => {
  // types/ and wit/ describe Theater's WIT; they are not scanned.
  // This file is left out: its examples of crossings are strings, not imports.
  const sources = ['src', 'tests', 'scripts', 'bin'].flatMap(sourcesUnder).filter((s) => s.path !== 'tests/unit/layers.test.ts');

  it('hold in this tree', () => {
    // Guards against a scan that silently read nothing.
    for (const layer of ['core', 'ui', 'actor', 'host']) expect(sources.filter((s) => s.path.startsWith(`src/${layer}/`)).length).toBeGreaterThan(3);
    expect(sources.find((s) => s.path === 'src/actor/theater.ts')?.text).toMatch(/from 'theater:simple\//);
    expect(layerViolations(sources)).toEqual([]);
  });

  it('refuse each kind of crossing', () => {
    const bad: Source[] = [
      { path: 'src/core/a.ts', text: "import { x } from '../actor/theater.js';" },
      { path: 'src/core/chats/b.ts', text: "import type { Y } from '../../host/store.js';" },
      { path: 'src/core/c.ts', text: "export { z } from '../ui/state.js';" },
      { path: 'src/core/d.ts', text: "import { readFileSync } from 'node:fs';" },
      { path: 'src/core/e.ts', text: "const { createHash } = await import('crypto');" },
      { path: 'src/ui/f.tsx', text: "import { join } from 'path';" },
      { path: 'src/ui/g.ts', text: "import type { FileStore } from '../host/store.js';" },
      { path: 'src/ui/h.ts', text: "import '../actor/index.js';" },
      { path: 'src/host/i.ts', text: "type T = typeof import('theater:simple/store');" },
      { path: 'tests/unit/j.test.ts', text: "import { log } from 'theater:simple/runtime';" },
    ];
    const problems = layerViolations(bad);
    for (const { path } of bad) expect(problems.filter((p) => p.startsWith(`${path} `))).toHaveLength(1);
  });

  it('allow what the layers are for', () => {
    const fine: Source[] = [
      { path: 'src/core/a.ts', text: "import { z } from 'zod';\nimport { AppError } from './errors.js'; // from '../host/x.js'" },
      { path: 'src/ui/b.ts', text: "import { Frame } from '../core/protocol/frames.js';\nconst url = 'ws://host/x'; /* import 'node:fs' */" },
      { path: 'src/actor/c.ts', text: "import * as runtime from 'theater:simple/runtime';\nimport { app } from '../core/app.js';" },
      { path: 'src/host/d.ts', text: "import { readFileSync } from 'node:fs';\nconst iface = 'theater:simple/store';" },
      { path: 'tests/fixtures/probe-actor.js', text: "import { log } from 'theater:simple/runtime';" },
    ];
    expect(layerViolations(fine)).toEqual([]);
  });
});
