/**
 * Runs the component in its own thread so that its synchronous imports (send-http, start-server)
 * can block it with Atomics.wait while the main thread keeps accepting connections.
 */
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { readdir, readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FileStore } from './store.js';
import { DATA_APART, DATA_APART_SECTION, unpackDataSegments, writeDataSegments } from './data-segments.js';
import { storeImports } from './store-imports.js';
import { environmentImports, filesystemImports } from './sandbox.js';
import type { ClientImports, FrameworkImports, RuntimeImports, WebsocketMessage } from './wit-types.js';
import type { FromWorker, HostCallReply, HostCallRequest, ToWorker, WorkerStart } from './worker-protocol.js';
import { hostCallNames, type HostCallInterface } from './host-calls.js';
import { callEventBytes, errorEventBytes, resultEventBytes } from './chain-account.js';
import { countFrame, emptyTally, tallied, TalliedFileStore, timedExport } from './host-tally.js';

const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);

type Export = (...args: unknown[]) => unknown[];
let exportsByName = new Map<string, Export>();
let state: Uint8Array | undefined;
const openSockets = new Set<string>();
/** Frames the actor sent during the current call; they travel with its result, in order. */
let outgoing: { server: bigint; connection: bigint; message: WebsocketMessage }[] = [];
const socketKey = (server: bigint, connection: bigint) => `${server}:${connection}`;
/** What the guest asked of the host, kept only when the host asked for it (host-tally.ts). */
const tally = emptyTally();

function syncRpc(rpc: MessagePort, signal: Int32Array) {
  return (iface: HostCallInterface, fn: string, args: unknown[]): unknown => {
    Atomics.store(signal, 0, 0);
    rpc.postMessage({ iface, fn, args } satisfies HostCallRequest);
    Atomics.wait(signal, 0, 0);
    const reply = receiveMessageOnPort(rpc)?.message as HostCallReply | undefined;
    if (!reply) throw 'host did not answer';
    if (!reply.ok) throw reply.error;
    return reply.value;
  };
}

/** WIT errors must reach the guest as strings: an Error object would trap it. */
function stringErrors<T extends object>(impl: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(impl)) {
    out[name] = (...args: unknown[]) => {
      try {
        return (fn as (...a: unknown[]) => unknown)(...args);
      } catch (e) {
        throw typeof e === 'string' ? e : e instanceof Error ? e.message : String(e);
      }
    };
  }
  return out as T;
}

function imports(start: WorkerStart) {
  const rpc = syncRpc(start.rpc, new Int32Array(start.signal));
  const runtime: RuntimeImports = {
    log: (msg) => post({ kind: 'log', line: msg }),
    shutdown: (data) => {
      post({ kind: 'shutdown', data });
    },
  };
  /** Blocking, as c50's async host functions are for the guest: open-channel waits for the target's answer. */
  const forward = (iface: HostCallInterface) =>
    Object.fromEntries(hostCallNames(iface).map((fn) => [fn, (...args: unknown[]) => rpc(iface, fn, args)]));
  const framework = forward('theater:simple/http-framework') as unknown as FrameworkImports;
  // c50 queues outgoing frames on a channel and returns; only a vanished connection is an Err.
  framework.sendWebsocketMessage = (server, connection, message) => {
    if (!openSockets.has(socketKey(server, connection))) throw `Connection not found: ${connection}`;
    if (start.tally) countFrame(tally, message);
    outgoing.push({ server, connection, message });
  };
  // c50's close-websocket puts a Close on that same channel (lib.rs:880-929): it leaves after the
  // frames sent before it, never ahead of them, so it is queued with them here too.
  framework.closeWebsocket = (server, connection) => {
    if (!openSockets.has(socketKey(server, connection))) throw `WebSocket connection not found: ${connection}`;
    outgoing.push({ server, connection, message: { ty: { tag: 'close' } } });
  };
  const client: ClientImports = {
    sendHttp: (req) => {
      // Frames sent before a blocking call must not wait for it: c50 hands them to the socket at once.
      if (outgoing.length > 0) {
        post({ kind: 'frames', sent: outgoing });
        outgoing = [];
      }
      return rpc('theater:simple/http-client', 'sendHttp', [req]) as ReturnType<ClientImports['sendHttp']>;
    },
  };
  const store = start.tally ? new TalliedFileStore(start.storeRoot, tally) : new FileStore(start.storeRoot);
  const linked = {
    'theater:simple/runtime': stringErrors(runtime),
    'theater:simple/store': stringErrors(storeImports(store)),
    'theater:simple/http-framework': framework,
    'theater:simple/http-client': client,
    'theater:simple/supervisor': forward('theater:simple/supervisor'),
    'theater:simple/message-server-host': forward('theater:simple/message-server-host'),
    'theater:simple/environment': environmentImports(start.allowedEnv, process.env),
    'theater:simple/filesystem': filesystemImports(start.filesystemBase),
    'theater:simple/types': {},
    'theater:simple/http-types': {},
    'theater:simple/websocket-types': {},
  };
  if (!start.tally) return linked;
  return Object.fromEntries(Object.entries(linked).map(([iface, impl]) => [iface, tallied(tally, iface, impl)]));
}

/** The component's linear memories: the host recycles an instance whose memory has grown. */
const memories: WebAssembly.Memory[] = [];
const memoryBytes = () => memories.reduce((sum, m) => sum + m.buffer.byteLength, 0);

/** Compiled once per worker: a fresh instance (instance-memory.ts) reuses the code. */
const compiled = new Map<string, Promise<WebAssembly.Module>>();
let started: WorkerStart | undefined;

/** The data segments (deflated) of each compiled module whose segments the transpile step moved out. */
const dataApart = new WeakMap<WebAssembly.Module, Buffer>();

function compile(dir: string, path: string): Promise<WebAssembly.Module> {
  let module = compiled.get(path);
  if (!module) {
    const data = readFile(join(dir, `${path}${DATA_APART}`)).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    module = Promise.all([readFile(join(dir, path)).then((bytes) => WebAssembly.compile(bytes)), data]).then(([compiledModule, deflated]) => {
      if (WebAssembly.Module.customSections(compiledModule, DATA_APART_SECTION).length === 0) return compiledModule;
      if (!deflated) throw new Error(`${path} was transpiled without its data segments, and ${path}${DATA_APART} beside it is missing (remove ${dir} to transpile again)`);
      dataApart.set(compiledModule, deflated);
      return compiledModule;
    });
    compiled.set(path, module);
  }
  return module;
}

/** A core instance as instantiation makes it: its data segments written before anything runs in it. */
async function instantiateCore(module: WebAssembly.Module, coreImports?: WebAssembly.Imports): Promise<WebAssembly.Instance> {
  const core = await WebAssembly.instantiate(module, coreImports);
  const memory = core.exports.memory;
  const deflated = dataApart.get(module);
  if (deflated) {
    if (!(memory instanceof WebAssembly.Memory)) throw new Error('a core module whose data was moved out exports no memory to write it into');
    // One output buffer, not zlib's 64 KiB chunks: those come from malloc's arenas, which keep what
    // they once held (the 50-client drill peaked 30 MB higher), while one large block is mapped on its
    // own and handed back when freed (process-env.ts).
    writeDataSegments(memory, unpackDataSegments(deflated, (bytes, room) => inflateRawSync(bytes, { chunkSize: room })));
  }
  if (memory instanceof WebAssembly.Memory) memories.push(memory);
  return core;
}

const loadFailed = (e: unknown) => post({ kind: 'load-failed', error: e instanceof Error ? e.message : String(e) });

/** Every core module of the transpiled component, compiled before anything is instantiated (as wasmtime does at load). */
async function compileAll(dir: string): Promise<void> {
  const modules = (await readdir(dir)).filter((name) => name.endsWith('.wasm'));
  await Promise.all(modules.map((name) => compile(dir, name)));
}

/** Lets the old instance's memory go now rather than whenever the collector gets to it. */
const collect: (() => void) | undefined = (() => {
  try {
    v8.setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
})();

async function load(start: WorkerStart): Promise<void> {
  started = start;
  const glue = (await import(pathToFileURL(join(start.dir, 'component.js')).href)) as {
    instantiate: (
      getCore: (path: string) => Promise<WebAssembly.Module>,
      imports: object,
      instantiateCore: (module: WebAssembly.Module, imports?: WebAssembly.Imports) => Promise<WebAssembly.Instance>,
    ) => Promise<Record<string, unknown>>;
  };
  const instance = await glue.instantiate(
    (path) => compile(start.dir, path),
    imports(start),
    instantiateCore,
  );
  exportsByName = new Map();
  for (const [iface, value] of Object.entries(instance)) {
    if (value && typeof value === 'object') {
      for (const [fn, impl] of Object.entries(value)) if (typeof impl === 'function') exportsByName.set(`${iface}.${fn}`, impl as Export);
    }
  }
}

function describe(e: unknown): string {
  if (e && typeof e === 'object' && 'payload' in e) return `returned Err: ${String((e as { payload: unknown }).payload)}`;
  return `trapped: ${e instanceof Error ? e.message : String(e)}`;
}

port.on('message', (message: ToWorker) => {
  if (message.kind === 'tally') return post({ kind: 'tally', tally });
  if (message.kind === 'memory') return post({ kind: 'memory', heapBytes: v8.getHeapStatistics().total_heap_size, linearBytes: memoryBytes() });
  if (message.kind === 'reinstantiate') {
    memories.length = 0;
    exportsByName = new Map();
    collect?.();
    load(started!).then(
      () => {
        collect?.();
        post({ kind: 'reinstantiated' });
      },
      (e: unknown) => post({ kind: 'reinstantiated', error: e instanceof Error ? e.message : String(e) }),
    );
    return;
  }
  if (message.kind === 'start') {
    state = message.state;
    started = message;
    compileAll(message.dir).then(
      () => post({ kind: 'compiled' }),
      loadFailed,
    );
    return;
  }
  if (message.kind === 'instantiate') {
    load(started!).then(
      () => {
        // The component file and its inflated memory snapshot are garbage now: tens of MB.
        collect?.();
        post({ kind: 'ready' });
      },
      loadFailed,
    );
    return;
  }
  if (message.kind === 'ws-open' || message.kind === 'ws-closed') {
    const key = socketKey(message.server, message.connection);
    if (message.kind === 'ws-open') openSockets.add(key);
    else openSockets.delete(key);
    return;
  }
  const fn = exportsByName.get(message.target);
  // c50 records nothing for a missing export (crates/theater/src/actor/runtime.rs:909-913).
  if (!fn) return post({ kind: 'fatal', id: message.id, target: message.target, error: `export ${message.target} not found (FunctionNotFound)`, chainBytes: 0 });
  const called = callEventBytes(message.target, message.params);
  try {
    // Every export takes the state first and returns [new-state, ...results], as c50 calls them.
    const call = () => (message.params === undefined ? fn(state) : fn(state, message.params));
    const [next, ...results] = started?.tally ? timedExport(tally, message.target, call) : call();
    state = next as Uint8Array | undefined;
    const sent = outgoing;
    outgoing = [];
    const chainBytes = called + resultEventBytes(message.target, state, results);
    post({ kind: 'result', id: message.id, target: message.target, results, stateBytes: state?.length ?? 0, sent, memoryBytes: memoryBytes(), chainBytes });
  } catch (e) {
    outgoing = [];
    const error = `${message.target} ${describe(e)}`;
    post({ kind: 'fatal', id: message.id, target: message.target, error, chainBytes: called + errorEventBytes(message.target, error) });
  }
});
