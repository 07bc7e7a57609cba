/**
 * An actor's export calls in flight to its worker: numbered in arrival order, answered one by one
 * as the worker runs them, all refused together when the actor fails or stops.
 */
type Waiter = { resolve: (results: unknown[]) => void; reject: (e: Error) => void };

export class ExportCalls {
  private pending = new Map<number, Waiter>();
  private nextId = 1;
  private listeners = new Set<() => void>();

  get size(): number {
    return this.pending.size;
  }

  /** Registers a call and hands its id to `send`; resolves with the export's results. */
  start(send: (id: number) => void): Promise<unknown[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      send(id);
    });
  }

  returned(id: number, results: unknown[]): void {
    this.pending.get(id)?.resolve(results);
    this.settle(id);
  }

  failed(id: number, error: Error): void {
    this.pending.get(id)?.reject(error);
    this.settle(id);
  }

  failAll(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
    this.notify();
  }

  /** True once the oldest call now in flight has settled; false if `ms` passed first. */
  oldestSettled(ms: number): Promise<boolean> {
    if (this.pending.size === 0) return Promise.resolve(true);
    const oldest = Math.min(...this.pending.keys());
    return new Promise((resolve) => {
      const done = () => {
        if (this.pending.has(oldest)) return;
        clearTimeout(timer);
        this.listeners.delete(done);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(done);
        resolve(false);
      }, ms);
      this.listeners.add(done);
    });
  }

  private settle(id: number): void {
    this.pending.delete(id);
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
