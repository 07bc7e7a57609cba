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

// Bad input: the drill throws at the first request or frame that does not get its own answer.
{
  const host = await startHost({ env });
  const before = drills.storeDigest(host.data);
  let r;
  try {
    r = await drills.garbageDrill(host, 1000, 1500);
  } catch (e) {
    row('bad input: malformed HTTP requests + WebSocket frames, each given its own error answer', `FAILED: ${e.message}`, false);
  }
  if (r) {
    const same = drills.storeDigest(host.data) === before;
    let fatal = false;
    try {
      expectNoFatal(host);
    } catch {
      fatal = true;
    }
    row('bad input: malformed HTTP requests + WebSocket frames, each given its own error answer', `${r.http} + ${r.frames}, ${r.answeredFrames} answered as they should be`, r.answeredFrames === r.frames && !fatal);
    row('bad input: store byte-identical afterwards, actor never stopped', `${same ? 'identical' : 'CHANGED'}, ${fatal ? 'FATAL seen' : 'no fatal error'}`, same && !fatal);
  }
  await host.stop();
}

// Crashes: every round must reach its own minimum of acknowledged writes before the kill, and
// every command but the one each client had in flight at the kill must get its expected reply.
{
  const data = mkdtempSync(join(tmpdir(), 'stress-crash-'));
  let acknowledged = 0;
  let cut = 0;
  const missing = [];
  const problems = [];
  const ROUNDS = 20;
  let failed;
  for (let i = 0; i < ROUNDS && !failed; i++) {
    try {
      const r = await drills.crashRound(data, env);
      acknowledged += r.acknowledged;
      cut += r.cut;
      missing.push(...r.missing);
      problems.push(...r.problems);
    } catch (e) {
      failed = `round ${i}: ${e.message}`;
    }
  }
  row(`crashes: ${ROUNDS} rounds of SIGKILL mid-write, each after ≥ ${drills.CRASH_MIN_ACKNOWLEDGED} acknowledged writes`, failed ? `FAILED: ${failed}` : `${acknowledged} acknowledged, ${cut} commands cut by the kills`, !failed);
  row(`crashes: acknowledged messages missing afterwards`, `${missing.length} of ${acknowledged}`, !failed && missing.length === 0);
  row('crashes: objects failing their id or chats not reaching their leaf', String(problems.length), !failed && problems.length === 0);
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
