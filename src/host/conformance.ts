/** `npm run check:theater`: would Theater c50b1871 link and run these components? */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { componentSignatures, type Signatures } from './component-types.js';
import { LINKED_INTERFACES, THEATER_C50, conformanceProblems, roleProblems } from './linkable.js';
import { parseManifest, resolveFrom } from './manifest.js';
import { witText } from './wit-text.js';

export interface ConformanceReport {
  ok: boolean;
  problems: string[];
  imports: string[];
  exports: string[];
}

let reference: Promise<Signatures> | undefined;

/**
 * c50's function types in the form component-types.ts reads them: wit-component builds a dummy
 * component (no code, real types) that imports and exports every interface of LINKED_INTERFACES,
 * i.e. the upstream text minus the documented removals. Our own wit/deps plays no part.
 */
export function c50Signatures(): Promise<Signatures> {
  reference ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'c50-reference-'));
    try {
      const byPackage = new Map<string, Record<string, (typeof LINKED_INTERFACES)[string]>>();
      for (const [full, items] of Object.entries(LINKED_INTERFACES)) {
        const [pkg, name] = full.split('/') as [string, string];
        byPackage.set(pkg, { ...byPackage.get(pkg), [name]: items });
      }
      const exported = new Set(Object.keys(THEATER_C50.exports));
      const world = Object.keys(LINKED_INTERFACES).map((n) => `  ${exported.has(n) ? 'export' : 'import'} ${n};`);
      await writeFile(join(dir, 'world.wit'), `package theater-chat:c50-reference;\nworld reference {\n${world.join('\n')}\n}\n`);
      for (const [pkg, interfaces] of byPackage) {
        const deps = join(dir, 'deps', pkg.replace(':', '-'));
        await mkdir(deps, { recursive: true });
        await writeFile(join(deps, 'package.wit'), witText(pkg, interfaces));
      }
      const { componentEmbed, componentNew } = await import('@bytecodealliance/jco');
      const core = await componentEmbed({ dummy: true, witPath: dir, world: 'reference' });
      return await componentSignatures(await componentNew(core, undefined));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return reference;
}

/** `role` is how the actor runs: 'root' (started by `theater start`) or a role of theater-c50.json's `roles`. */
export async function checkTheater(wasmPath: string, role = 'root'): Promise<ConformanceReport> {
  const sigs = await componentSignatures(new Uint8Array(await readFile(wasmPath)));
  const imports = Object.keys(sigs.imports);
  const problems = [...conformanceProblems(sigs, await c50Signatures()), ...(role === 'root' ? [] : roleProblems(role, imports))];
  return { ok: problems.length === 0, problems, imports, exports: Object.keys(sigs.exports) };
}

/**
 * The component a c50 manifest starts. Relative paths resolve against the manifest's folder,
 * as on the Node host; on Theater they resolve against theater-server's working directory, which
 * the README asks to be this folder.
 */
export function manifestComponent(manifestPath: string): string {
  const manifest = parseManifest(readFileSync(manifestPath, 'utf8'), manifestPath);
  const component = resolveFrom(dirname(resolve(manifestPath)), manifest.component);
  if (!existsSync(component)) throw new Error(`${manifestPath}: component ${component} does not exist; run \`npm run build\` first`);
  return component;
}

export const THEATER_COMMIT = THEATER_C50.commit;
