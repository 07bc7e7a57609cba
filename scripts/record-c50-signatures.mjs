#!/usr/bin/env node
// Derives src/host/theater-c50.json's signatures from the WIT Theater c50b1871 links
// (wit/deps/theater-simple, a copy of shared/theater-wit/c50b1871): it componentizes a stub actor
// that imports and exports every linkable interface and reads the component's function types.
// Run after changing wit/deps; check:theater compares the chat component against the result.
import { componentize } from '@bytecodealliance/componentize-js';
import { build } from 'rolldown';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const IMPORTS = ['runtime', 'store', 'http-client', 'http-framework', 'environment', 'filesystem', 'message-server-host', 'supervisor'];
const EXPORTS = { actor: ['init'], 'http-handlers': ['handle-request', 'handle-middleware', 'handle-websocket-connect', 'handle-websocket-message', 'handle-websocket-disconnect'],
  'message-server-client': ['handle-send', 'handle-request', 'handle-channel-open', 'handle-channel-message', 'handle-channel-close'],
  'supervisor-handlers': ['handle-child-error', 'handle-child-exit', 'handle-child-external-stop'] };
const camel = (s) => s.replace(/-(\w)/g, (_, c) => c.toUpperCase());

const dir = await mkdtemp(join(tmpdir(), 'c50-reference-'));
try {
  await cp(join(root, 'wit/deps'), join(dir, 'wit/deps'), { recursive: true });
  await writeFile(join(dir, 'wit/world.wit'), `package theater-chat:reference;\nworld reference {\n${IMPORTS.map((i) => `  import theater:simple/${i};`).join('\n')}\n${Object.keys(EXPORTS).map((e) => `  export theater:simple/${e};`).join('\n')}\n}\n`);
  const source = Object.entries(EXPORTS).map(([iface, fns]) => `export const ${camel(iface)} = { ${fns.map((f) => `${camel(f)}: (s) => [s]`).join(', ')} };`).join('\n');
  await writeFile(join(dir, 'reference.js'), source);
  const { component } = await componentize({ sourcePath: join(dir, 'reference.js'), witPath: join(dir, 'wit'), worldName: 'reference', disableFeatures: ['stdio', 'random', 'clocks', 'http', 'fetch-event'] });
  await build({ input: join(root, 'src/host/component-types.ts'), platform: 'node', external: [/^@/], output: { file: join(root, 'dist/build/component-types.mjs'), format: 'esm' }, logLevel: 'warn' });
  const { componentSignatures } = await import(join(root, 'dist/build/component-types.mjs'));
  const signatures = await componentSignatures(component);
  const path = join(root, 'src/host/theater-c50.json');
  const data = JSON.parse(await readFile(path, 'utf8'));
  data.imports = signatures.imports;
  data.exports = signatures.exports;
  await writeFile(path, `${JSON.stringify(data, null, 2)}\n`);
  console.log(`recorded ${Object.keys(signatures.imports).length} imported and ${Object.keys(signatures.exports).length} exported interfaces`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
