#!/usr/bin/env node
// `npm run demo`: the whole app offline, with the mock Claude API standing in for the real one.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const mock = spawn(process.execPath, [join(root, 'dist/mock-claude.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
const mockUrl = await new Promise((resolve, reject) => {
  let out = '';
  mock.stdout.on('data', (d) => {
    out += d;
    const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (m) resolve(m[1]);
  });
  mock.once('exit', (code) => reject(new Error(`the mock Claude API exited (${code})`)));
});
console.log(`demo: answers come from the mock Claude API at ${mockUrl}. Try "show me some markdown" or "[[fault:529]]";`);
console.log('  attach or paste an image or a PDF (the reply describes its size); turn Thinking on in ⋯ and ask it to "think";');
console.log('  turn Web search on in ⋯ and ask it to "search" for cited sources.');
const { HOST_PROCESS_ENV } = await import(join(root, 'dist/host/cli.js'));
const app = spawn(process.execPath, [join(root, 'bin/theater-chat.js'), 'run', join(root, 'actor.toml'), '--data', join(root, 'data/demo'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, ...HOST_PROCESS_ENV, ANTHROPIC_API_KEY: 'demo-key-for-the-mock', ANTHROPIC_BASE_URL: mockUrl },
});
const stop = () => {
  app.kill('SIGTERM');
  mock.kill('SIGTERM');
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
app.once('exit', (code) => {
  mock.kill('SIGTERM');
  process.exit(code ?? 0);
});
