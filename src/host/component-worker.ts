/**
 * The main thread's side of a component's worker thread (worker.ts): the thread, and the RPC port
 * its blocking imports wait on. Every guest call arriving on the port goes through the host-call
 * table (host-calls.ts) and nothing else.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { runHostCall, type HostCallContext } from './host-calls.js';
import type { FromWorker, HostCallReply, HostCallRequest, WorkerStart } from './worker-protocol.js';

/**
 * The worker's JS only moves bytes in and out of the component; V8's default young generation
 * (up to 3 × 16 MB semispaces) kept ~25 MB of mostly empty heap there for nothing measurable.
 */
const WORKER_YOUNG_GENERATION_MB = 4;

export interface WorkerLaunch {
  start: Omit<WorkerStart, 'kind' | 'rpc' | 'signal'>;
  /** Whose guest calls the RPC port serves. */
  host: HostCallContext;
  /** Every message but ready and load-failed, which settle the returned promise. */
  onMessage: (message: FromWorker) => void;
  onCrash: (worker: Worker, error: Error) => void;
  /** Between compiling and instantiating: c50 sets up the actor's handlers there (its mailbox). */
  compiled?: () => Promise<void>;
}

const errorText = (e: unknown) => (typeof e === 'string' ? e : e instanceof Error ? e.message : String(e));

/** A worker running the component (init is not called: the caller decides); resolves once it is instantiated. */
export function startComponentWorker({ start, host, onMessage, onCrash, compiled }: WorkerLaunch): Promise<Worker> {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  port1.on('message', ({ iface, fn, args }: HostCallRequest) => {
    runHostCall(host, iface, fn, args)
      .then(
        (value) => port1.postMessage({ ok: true, value } satisfies HostCallReply),
        (e: unknown) => port1.postMessage({ ok: false, error: errorText(e) } satisfies HostCallReply),
      )
      .finally(() => {
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
      });
  });
  const ready = new Promise<Worker>((resolve, reject) => {
    // Nobody holds a worker whose load failed: left running, its thread and compiled code would
    // stay for the life of the process (a supervisor that retries a broken child piles them up).
    const abandon = (e: unknown) => {
      void worker.terminate();
      reject(e);
    };
    worker.on('message', (message: FromWorker) => {
      if (message.kind === 'ready') return resolve(worker);
      if (message.kind === 'compiled') {
        const instantiate = () => worker.postMessage({ kind: 'instantiate' });
        return void (compiled ? compiled().then(instantiate, abandon) : instantiate());
      }
      if (message.kind === 'load-failed') return abandon(new Error(`the component could not be instantiated: ${message.error}`));
      onMessage(message);
    });
    worker.on('error', (e) => {
      reject(e);
      onCrash(worker, e);
    });
  });
  // The port's listener would keep the process alive after the worker is gone.
  worker.once('exit', () => port1.close());
  worker.postMessage({ kind: 'start', ...start, rpc: port2, signal } satisfies WorkerStart, [port2]);
  return ready;
}
