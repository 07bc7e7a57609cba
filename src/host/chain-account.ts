/**
 * The chain account: how many bytes Theater c50's in-memory event chain would hold for one export
 * call, computed without building the JSON (a 1 MB body becomes ~10 MB there).
 *
 * c50b1871, for every export call (crates/theater/src/actor/runtime.rs:915-950, execute_call):
 *  - records `WasmCall { function_name, params }`, where `params: Vec<u8>` is `serde_json::to_vec`
 *    of the params tuple (crates/theater/src/actor/handle.rs:87, `call_function`);
 *  - then `WasmResult { function_name, result: (new_state, results) }`, where `results: Vec<u8>` is
 *    `serde_json::to_vec` of the results tuple, or of `()` ("null") for exports without results
 *    (crates/theater/src/wasm.rs:1130, :1211, :1297);
 *  - or `WasmError { function_name, message }` when the call fails (runtime.rs:935-947).
 * Each event's `data` is `serde_json::to_vec(&ChainEventPayload)` (crates/theater/src/events/mod.rs:103),
 * an internally tagged enum (`#[serde(tag = "category")]`) around the externally tagged WasmEventData
 * (events/wasm.rs), so a call reads `{"category":"Wasm","WasmCall":{"function_name":…,"params":[…]}}`.
 * serde_json writes every `Vec<u8>` as a JSON array of numbers, so params and results, being JSON
 * bytes themselves, are written as numbers twice. StateChain::add_typed_event keeps the event in
 * `self.events` for the actor's whole life (crates/theater/src/chain/mod.rs:366-382), with its SHA-1
 * `hash`, its parent's hash and `event_type` "wasm" (chain/mod.rs:104-118).
 *
 * Approximations: Rust's allocation headers (Vec/String capacity slack, ~100 B per event) are not
 * counted; nor are host-function events that some handlers record (environment, runtime; not
 * http-framework, store or http-client), nor the final "shutdown" event (theater_runtime.rs:823-834).
 */

/** hash (SHA-1, 20 B) + parent hash (20 B) + event_type "wasm" (4 B). */
const EVENT_OVERHEAD = 44;

const digits = (b: number) => (b < 10 ? 1 : b < 100 ? 2 : 3);
/** digits(b) for every byte value: the loops below run over whole bodies on every call. */
const DIGITS = Uint8Array.from({ length: 256 }, (_, b) => digits(b));
const utf8 = new TextEncoder();

function sumDigits(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum += DIGITS[bytes[i]!]!;
  return sum;
}

/** Counts what serde_json writes; `nested` counts it as serde_json writes those bytes as a Vec<u8>. */
class Meter {
  /** bytes written */
  n = 0;
  /** as a JSON number array: Σ(digits(byte) + 1), brackets and the last comma settled in `asByteArray` */
  nested = 0;

  ascii(s: string): void {
    this.n += s.length;
    for (let i = 0; i < s.length; i++) this.nested += digits(s.charCodeAt(i)) + 1;
  }

  text(s: string): void {
    // serde_json escapes as JSON.stringify does for well-formed strings (", \\, \b\f\n\r\t, other controls as \u00XX).
    const bytes = utf8.encode(JSON.stringify(s));
    this.n += bytes.length;
    this.nested += sumDigits(bytes) + bytes.length;
  }

  /** A byte list, as serde_json writes a Vec<u8>: `[104,105]`. */
  byteList(u8: Uint8Array): void {
    const inner = (u8.length === 0 ? 2 : 1 + u8.length) + sumDigits(u8);
    this.n += inner;
    // Every character of `[1,2]` is ASCII 44..93: two digits and a comma each.
    this.nested += 3 * inner;
  }

  /** Bytes of `[…]` where … are the written bytes as numbers. */
  asByteArray(): number {
    return this.n === 0 ? 2 : this.nested - 1 + 2;
  }
}

/**
 * The account is kept for every call, in the worker, before the result goes back; the names repeat
 * on every call, so each is written once (a `ping`'s account: 7.1 µs before, 2.6 µs after, warm).
 */
function remembered(rewrite: (name: string) => string): (name: string) => string {
  const known = new Map<string, string>();
  return (name) => {
    let written = known.get(name);
    if (written === undefined) known.set(name, (written = rewrite(name)));
    return written;
  };
}

const pascal = remembered((tag) => tag.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()));
const snake = remembered((key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));

/**
 * Writes a jco value as serde_json writes the Rust value wasmtime lifted: records as objects with
 * the Rust field names, variants (`{ tag, val }`) as `"Name"` or `{"Name":val}`, options as null.
 * WIT enums are plain strings in jco; the one c50 passes to an export (`wit-actor-error.error-type`,
 * crates/theater/src/actor/types.rs:96-120) is recognised by its field name.
 */
function write(m: Meter, value: unknown, enumField = false): void {
  if (value === undefined || value === null) return m.ascii('null');
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') return m.ascii(String(value));
  if (typeof value === 'string') return enumField ? m.ascii(`"${pascal(value)}"`) : m.text(value);
  if (value instanceof Uint8Array) return m.byteList(value);
  if (Array.isArray(value)) {
    m.ascii('[');
    value.forEach((v, i) => {
      if (i > 0) m.ascii(',');
      write(m, v);
    });
    return m.ascii(']');
  }
  const record = value as Record<string, unknown>;
  if (typeof record.tag === 'string' && Object.keys(record).every((k) => k === 'tag' || k === 'val')) {
    if (record.val === undefined) return m.ascii(`"${pascal(record.tag)}"`);
    m.ascii(`{"${pascal(record.tag)}":`);
    write(m, record.val);
    return m.ascii('}');
  }
  m.ascii('{');
  Object.keys(record).forEach((key, i) => {
    m.ascii(`${i > 0 ? ',' : ''}"${snake(key)}":`);
    write(m, record[key], key === 'errorType');
  });
  m.ascii('}');
}

/** `httpHandlers.handleRequest` → `theater:simple/http-handlers.handle-request`, the name c50 records. */
export function c50ExportName(target: string): string {
  const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const [iface, fn] = target.split('.');
  return `theater:simple/${kebab(iface!)}.${kebab(fn!)}`;
}

/** What an event of this kind for this export holds besides its body, its name included: the same on every call. */
const eventFrame = new Map<string, number>();

function event(prefix: string, target: string, body: (m: Meter) => void): number {
  const key = `${prefix} ${target}`;
  let frame = eventFrame.get(key);
  if (frame === undefined) {
    const m = new Meter();
    m.ascii(`{"category":"Wasm","${prefix}":{"function_name":`);
    m.text(c50ExportName(target));
    m.ascii('}}');
    eventFrame.set(key, (frame = m.n + EVENT_OVERHEAD));
  }
  const m = new Meter();
  body(m);
  return frame + m.n;
}

/** The WasmCall event: `params` undefined for actor.init, which c50 calls with `()`. */
export function callEventBytes(target: string, params: unknown[] | undefined): number {
  const inner = new Meter();
  write(inner, params);
  return event('WasmCall', target, (m) => {
    m.ascii(',"params":');
    m.n += inner.asByteArray();
  });
}

/** The WasmResult event: the new state once as numbers, the results tuple as JSON bytes as numbers. */
export function resultEventBytes(target: string, state: Uint8Array | undefined, results: unknown[]): number {
  const inner = new Meter();
  // The worker gets [new-state, results-tuple?]; exports without results are recorded as `()`.
  write(inner, results.length === 0 ? undefined : results[0]);
  return event('WasmResult', target, (m) => {
    m.ascii(',"result":[');
    if (state === undefined) m.ascii('null');
    else m.byteList(state);
    m.ascii(',');
    m.n += inner.asByteArray();
    m.ascii(']');
  });
}

export function errorEventBytes(target: string, message: string): number {
  return event('WasmError', target, (m) => {
    m.ascii(',"message":');
    m.text(message);
  });
}

/** For tests: the exact JSON serde_json would write for a jco value (small values only). */
export function serdeJson(value: unknown): string {
  const parts: string[] = [];
  const spy = Object.assign(Object.create(Meter.prototype) as Meter, { n: 0, nested: 0 });
  spy.ascii = (s) => void parts.push(s);
  spy.text = (s) => void parts.push(JSON.stringify(s));
  spy.byteList = (u8) => void parts.push(`[${[...u8].join(',')}]`);
  write(spy, value);
  return parts.join('');
}

/** One actor's chain account: bytes in total and per export, for the bench and the memory log line. */
export class ChainAccount {
  bytes = 0;
  readonly byExport = new Map<string, { calls: number; bytes: number }>();

  add(target: string, bytes: number): void {
    this.bytes += bytes;
    const entry = this.byExport.get(target) ?? { calls: 0, bytes: 0 };
    entry.calls++;
    entry.bytes += bytes;
    this.byExport.set(target, entry);
  }

  /** The largest exports, for the memory log line. */
  summary(): string {
    return [...this.byExport]
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .slice(0, 4)
      .map(([name, { calls, bytes }]) => `${name} ${calls}× ${(bytes / 1024).toFixed(1)} KB`)
      .join(', ');
  }
}
