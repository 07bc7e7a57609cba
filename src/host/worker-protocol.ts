/** Messages between the host's main thread and the component's worker thread. */
import type { MessagePort } from 'node:worker_threads';
import type { WebsocketMessage } from './wit-types.js';
import type { Tally } from './host-tally.js';

export interface OutgoingFrame {
  server: bigint;
  connection: bigint;
  message: WebsocketMessage;
}

export interface WorkerStart {
  kind: 'start';
  dir: string;
  state: Uint8Array | undefined;
  storeRoot: string;
  filesystemBase: string | undefined;
  allowedEnv: string[];
  rpc: MessagePort;
  signal: SharedArrayBuffer;
  /** Count host calls, store writes and frames (host-tally.ts); off unless a bench asks. */
  tally?: boolean;
}

/** A guest's call of a main-thread import, as the worker forwards it (host-calls.ts decides whether it runs). */
export interface HostCallRequest {
  iface: string;
  fn: string;
  args: unknown[];
}

/** The answer the worker waits for; `error` is the WIT error string. */
export type HostCallReply = { ok: true; value: unknown } | { ok: false; error: string };

export interface WorkerCall {
  kind: 'call';
  id: number;
  /** `<export object>.<function>`, e.g. `httpHandlers.handleRequest` */
  target: string;
  /** absent for actor.init, which takes the state only */
  params?: unknown[];
}

/** The worker's view of open sockets, so send-websocket-message need not block on the main thread. */
export type WorkerSocketChange =
  | { kind: 'ws-open'; server: bigint; connection: bigint }
  | { kind: 'ws-closed'; server: bigint; connection: bigint };

export type ToWorker = WorkerStart | { kind: 'instantiate' } | WorkerCall | WorkerSocketChange | { kind: 'reinstantiate' } | { kind: 'memory' } | { kind: 'tally' };

export interface WorkerMemory {
  kind: 'memory';
  heapBytes: number;
  linearBytes: number;
}

export type FromWorker =
  /** The component's code is compiled; it is instantiated when the host says so. */
  | { kind: 'compiled' }
  | { kind: 'ready' }
  | { kind: 'load-failed'; error: string }
  | { kind: 'log'; line: string }
  | { kind: 'shutdown'; data: Uint8Array | undefined }
  /** chainBytes: what c50's event chain would hold for this call (chain-account.ts). */
  | { kind: 'result'; id: number; target: string; results: unknown[]; stateBytes: number; sent: OutgoingFrame[]; memoryBytes: number; chainBytes: number }
  | { kind: 'frames'; sent: OutgoingFrame[] }
  | { kind: 'reinstantiated'; error?: string }
  | WorkerMemory
  | { kind: 'tally'; tally: Tally }
  | { kind: 'fatal'; id: number; target: string; error: string; chainBytes: number };
