/**
 * The component instance's memory: where it settled, when the host moves the actor to a fresh
 * instance, and the memory line of the log. The engine inside the component never gives memory back,
 * so a long-lived instance creeps (toolchain.md §7). Once it crept or grew too large (or, when
 * configured, every so many calls), the host moves the actor's state to a fresh instance between
 * two calls; calls that arrive meanwhile wait for it. On Theater the instance simply lives on.
 */
import type { WorkerMemory } from './worker-protocol.js';

/**
 * An instance whose linear memory has crept this much past where it settled is replaced (linear
 * memory never shrinks). With 32 MiB the actor's memory peaks near 60–75 MB in the 50-client
 * drill; 64 MiB let it reach 90.
 */
const RECYCLE_GROWTH_BYTES = 32 * 1024 * 1024;
/**
 * One call growing the memory this much loaded something large that it keeps (the search index of
 * ~10,000 messages: +90 MB): the instance settles there instead of counting it as creep, else the
 * fresh instance loads it again and is replaced again, and every few searches cost a reload.
 */
const LOAD_JUMP_BYTES = 48 * 1024 * 1024;
/** Whatever the reason, an instance this large is replaced. */
const RECYCLE_CEILING_BYTES = 160 * 1024 * 1024;

export interface RecyclingOptions {
  /** Calls between fresh instances. */
  every: number;
  /** Asks the worker for a fresh instance; it answers through reinstantiated(). */
  reinstantiate: () => void;
  /** Calls queued in the current instance. */
  pendingCalls: () => number;
  log: (line: string) => void;
}

export class InstanceRecycling {
  /** Fresh instances made so far. */
  recycles = 0;
  /** The component's linear memory after the last call. */
  memoryBytes = 0;
  /** Set while a fresh instance is being made: new calls wait for it. */
  waiting?: Promise<void>;
  private baselineBytes = 0;
  private callsSince = 0;
  /** Set while the old instance finishes its queued calls before handing over. */
  private drained?: () => void;
  private onReinstantiated?: (error: string | undefined) => void;

  constructor(private readonly options: RecyclingOptions) {}

  /** Where the instance settled: after its first call, raised by a call that loaded something large. */
  settle(memoryBytes: number): void {
    const jump = memoryBytes - this.memoryBytes;
    if (!this.baselineBytes) this.baselineBytes = memoryBytes;
    else if (jump >= LOAD_JUMP_BYTES) this.baselineBytes += jump;
    this.memoryBytes = memoryBytes;
  }

  /** After each call that returned: hands over if a fresh instance is waiting, or starts one if due. */
  afterCall(stopped: boolean): void {
    if (this.drained && this.options.pendingCalls() === 0) {
      const handOff = this.drained;
      this.drained = undefined;
      return handOff();
    }
    const due =
      ++this.callsSince >= this.options.every ||
      this.memoryBytes > this.baselineBytes + RECYCLE_GROWTH_BYTES ||
      this.memoryBytes > RECYCLE_CEILING_BYTES;
    if (!due || this.waiting || stopped) return;
    this.callsSince = 0;
    // From now on new calls wait; the calls already queued in the old instance finish there first.
    this.waiting = new Promise<void>((resolve) => {
      const handOff = () => {
        this.onReinstantiated = (error) => {
          this.onReinstantiated = undefined;
          if (error) this.options.log(`could not make a fresh component instance, keeping the old one: ${error}`);
          else {
            this.recycles++;
            this.baselineBytes = 0;
            this.options.log(`moved the actor to a fresh component instance (${this.recycles})`);
          }
          resolve();
        };
        this.options.reinstantiate();
      };
      if (this.options.pendingCalls() === 0) handOff();
      else this.drained = handOff;
    }).finally(() => {
      this.waiting = undefined;
    });
  }

  /** The worker's answer to reinstantiate. */
  reinstantiated(error: string | undefined): void {
    this.onReinstantiated?.(error);
  }
}

/** The process's memory, split by where it lives, for THEATER_CHAT_MEMORY_LOG. */
export function memoryLine(worker: WorkerMemory, recycles: number, chainBytes: number, chainSummary: string): string {
  const mb = (bytes: number) => Math.round(bytes / 1048576);
  const { rss, heapTotal } = process.memoryUsage();
  const rest = rss - heapTotal - worker.heapBytes - worker.linearBytes;
  return `memory: rss ${mb(rss)} MB = main JS heap ${mb(heapTotal)} + worker JS heap ${mb(worker.heapBytes)} + actor linear memory ${mb(worker.linearBytes)} + ${mb(rest)} code, buffers and the rest (fresh instances so far: ${recycles}); chain account ${(chainBytes / 1024).toFixed(1)} KB (what Theater c50's event chain would hold for this actor; ${chainSummary})`;
}
