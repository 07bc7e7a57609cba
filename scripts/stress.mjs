#!/usr/bin/env node
// `npm run stress`: the long hardening drills, with their figures. The fast variants run in `npm test`.
import { build } from 'rolldown';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  input: { drills: join(root, 'tests/hardening/drills.ts'), mock: join(root, 'scripts/mock-claude/server.ts'), host: join(root, 'tests/helpers/host.ts') },
  platform: 'node',
  external: [/^[^./]/],
  output: { dir: join(root, 'dist/build/stress'), format: 'esm', entryFileNames: '[name].mjs' },
  logLevel: 'warn',
});
const drills = await import(join(root, 'dist/build/stress/drills.mjs'));
const { startMockClaude } = await import(join(root, 'dist/build/stress/mock.mjs'));
const { startHost, expectNoFatal, removeTempDirs } = await import(join(root, 'dist/build/stress/host.mjs'));

const mock = await startMockClaude();
const env = { ANTHROPIC_API_KEY: 'stress-key-for-the-mock-0123456789', ANTHROPIC_BASE_URL: mock.url };
const rows = [];
const row = (name, value, ok) => (rows.push({ name, value, ok }), console.log(`${ok ? ' ' : '✗'} ${name}: ${value}`));

// Bad input
{
  const host = await startHost({ env });
  const before = drills.storeDigest(host.data);
  const r = await drills.garbageDrill(host, 1000, 1500);
  const same = drills.storeDigest(host.data) === before;
  let fatal = false;
  try {
    expectNoFatal(host);
  } catch {
    fatal = true;
  }
  row('bad input: malformed HTTP requests + WebSocket frames, frames answered with an error', `${r.http} + ${r.frames}, ${r.answeredFrames} answered`, r.answeredFrames === r.frames && !fatal);
  row('bad input: store byte-identical afterwards, actor never stopped', `${same ? 'identical' : 'CHANGED'}, ${fatal ? 'FATAL seen' : 'no fatal error'}`, same && !fatal);
  await host.stop();
}

// Crashes
{
  const data = mkdtempSync(join(tmpdir(), 'stress-crash-'));
  let acknowledged = 0;
  const missing = [];
  const problems = [];
  const ROUNDS = 20;
  for (let i = 0; i < ROUNDS; i++) {
    const r = await drills.crashRound(data, env);
    acknowledged += r.acknowledged;
    missing.push(...r.missing);
    problems.push(...r.problems);
  }
  row(`crashes: ${ROUNDS} rounds of SIGKILL mid-write; acknowledged messages missing afterwards`, `${missing.length} of ${acknowledged}`, missing.length === 0);
  row('crashes: objects failing their id or chats not reaching their leaf', String(problems.length), problems.length === 0);
  rmSync(data, { recursive: true, force: true });
}

// Load and memory
{
  const host = await startHost({ env });
  const r = await drills.loadDrill(host, 50, 100);
  row('load: 50 clients × 100 mixed commands, p50 / p99', `${r.p50.toFixed(1)} ms / ${r.p99.toFixed(1)} ms`, true);
  row('load: writes lost / duplicated, views identical', `${r.lost} / ${r.duplicated}, ${r.viewsIdentical ? 'identical' : 'DIFFERENT'}`, r.lost === 0 && r.duplicated === 0 && r.viewsIdentical);
  const more = await drills.loadDrill(host, 50, 100);
  const samples = [...r.rssMb, ...more.rssMb].map((m) => Math.round(m));
  // "Under 300 MB": every sample, not only the last. "Flat": the second 5,000 commands (on branches
  // twice as long) peak no more than a fifth above the first 5,000.
  const [firstPeak, secondPeak] = [Math.max(...r.rssMb), Math.max(...more.rssMb)].map(Math.round);
  row('memory: host RSS (MB) across 10,000 commands, every sample under 300', samples.join(' → '), Math.max(...samples) < 300);
  row('memory: peak of the first / second 5,000 commands, second at most 20% higher', `${firstPeak} / ${secondPeak} MB`, secondPeak <= firstPeak * 1.2);
  await host.stop();
}
await mock.close();
removeTempDirs();
const failed = rows.filter((r) => !r.ok);
console.log(failed.length ? `\n${failed.length} figure(s) missed their goal` : '\nall figures hold');
process.exitCode = failed.length ? 1 : 0;
