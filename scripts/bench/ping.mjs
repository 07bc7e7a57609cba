// The `ping` round trip through the component, and three references measured in the same run,
// in turns, so that noise falls on all alike:
// - the same core handler natively in this process: the goal's reference (issues 2 and 16). The
//   client and the server share one event loop, so no process waits to be woken;
// - the same handler natively in a process of its own, as the host is: the wake-ups a server
//   always pays on this machine;
// - a component that only echoes, on the same host (echo-actor.js): what any component pays here.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const micros = (ms) => `${(ms * 1000).toFixed(0)} µs`;

async function roundTrips(wsUrl, count, token) {
  const ws = new WebSocket(wsUrl);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const welcome = new Promise((r) => ws.once('message', r));
  ws.send(JSON.stringify({ type: 'hello', token }));
  await welcome;
  const times = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const reply = new Promise((r) => ws.once('message', r));
    ws.send(`{"type":"ping","request_id":"${i}"}`);
    await reply;
    times.push(performance.now() - t);
  }
  ws.close();
  return times;
}

const mtime = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/** The echo component and its manifest under dist/build/echo, built again when it is older than its source or the chat's component. */
async function echoManifest(root) {
  const dir = join(root, 'dist/build/echo');
  const wasm = join(dir, 'echo.wasm');
  const source = join(root, 'scripts/bench/echo-actor.js');
  if (mtime(wasm) < Math.max(mtime(source), mtime(join(root, 'dist/chat.wasm')))) {
    const { buildComponent } = await import(join(root, 'scripts/build.mjs'));
    await buildComponent({ entry: 'scripts/bench/echo-actor.js', world: 'chat-actor', wasm: 'build/echo/echo.wasm', bundleName: 'echo' });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'init.json'), JSON.stringify({ host: '127.0.0.1', port: 0 }));
  const manifest = join(dir, 'echo.toml');
  writeFileSync(manifest, 'name = "echo"\nversion = "0.1.0"\ncomponent = "echo.wasm"\ninit_state = "init.json"\n\n[[handler]]\ntype = "runtime"\n\n[[handler]]\ntype = "http-framework"\n');
  return manifest;
}

/** The native server of native.ts, started in a Node process of its own with the host's environment. */
function nativeProcess(nativeModule, env) {
  const code = `const { startNativeServer } = await import(${JSON.stringify(nativeModule)}); const s = await startNativeServer(); console.log(JSON.stringify({ url: s.url, token: s.token }));`;
  const proc = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const server = new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out));
    });
    proc.once('exit', (code) => reject(new Error(`native server exited ${code}`)));
  });
  return { server, stop: () => new Promise((r) => (proc.once('exit', r), proc.kill('SIGTERM'))) };
}

export async function pingBenchmark({ root, report, startHost, bundle, env }) {
  const { startNativeServer } = await bundle('scripts/bench/native.ts', 'bench-native');
  const echo = startHost(mkdtempSync(join(tmpdir(), 'bench-echo-')), await echoManifest(root));
  const chat = startHost(mkdtempSync(join(tmpdir(), 'bench-ping-')));
  const own = nativeProcess(join(root, 'dist/build/bench-native.mjs'), env);
  const inProcess = await startNativeServer();
  const chatUrl = await chat.url;
  const html = await (await fetch(`${chatUrl}/`)).text();
  const token = /name="theater-chat-session" content="([0-9a-f]+)"/.exec(html)[1];
  const ownServer = await own.server;
  const targets = {
    component: { url: `${chatUrl.replace('http', 'ws')}/ws`, token, times: [] },
    native: { url: inProcess.url, token: inProcess.token, times: [] },
    nativeOwnProcess: { url: ownServer.url, token: ownServer.token, times: [] },
    echo: { url: `${(await echo.url).replace('http', 'ws')}/ws`, token: '', times: [] },
  };
  const WARM = 4000;
  const N = 6000;
  for (const t of Object.values(targets)) await roundTrips(t.url, WARM, t.token);
  for (let round = 0; round < 3; round++) {
    for (const t of Object.values(targets)) t.times.push(...(await roundTrips(t.url, N / 3, t.token)));
  }
  await Promise.all([chat.stop(), echo.stop(), own.stop(), inProcess.close()]);
  const { component, native, nativeOwnProcess, echo: floor } = Object.fromEntries(Object.entries(targets).map(([k, t]) => [k, t.times]));
  const line = (times) => `${micros(median(times))} (p99 ${micros(percentile(times, 0.99))})`;
  const ratio = median(component) / median(native);
  report('WebSocket ping round trip, median: component', line(component), '', true);
  report('WebSocket ping round trip, median: same handler natively', line(native), '', true);
  report('ping ratio component / native', ratio.toFixed(2), '≤ 5', ratio <= 5);
  report('  same handler natively, in a process of its own (as the host is)', line(nativeOwnProcess), '', true);
  report('  ping ratio component / native in its own process', (median(component) / median(nativeOwnProcess)).toFixed(2), '', true);
  report('  a component that only echoes, same host: the least a component takes', `${line(floor)}, ${(median(floor) / median(native)).toFixed(2)} × native`, '', true);
}
