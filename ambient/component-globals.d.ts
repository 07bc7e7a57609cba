/**
 * The globals src/core may use: what the component really has inside StarlingMonkey and Node
 * also has, declared as narrowly as core uses them (tsconfig.core.json loads no DOM or Node types).
 * Anything else — timers, process, Buffer, crypto, the DOM — must come in through a port.
 */

declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}

/** Base64 of a binary string: StarlingMonkey's own, many times faster than a JavaScript loop in the component. */
declare function btoa(data: string): string;
declare function atob(data: string): string;

declare class URLSearchParams {
  constructor(init?: string | Record<string, string> | [string, string][]);
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string): boolean;
  forEach(callback: (value: string, name: string) => void): void;
  toString(): string;
}

declare class URL {
  constructor(url: string, base?: string | URL);
  readonly host: string;
  readonly hostname: string;
  readonly href: string;
  readonly origin: string;
  readonly pathname: string;
  readonly protocol: string;
  readonly search: string;
  readonly searchParams: URLSearchParams;
  toString(): string;
}

/* The fetch API's classes, which the Claude SDK's types name; StarlingMonkey has them. */

type HeadersInit = [string, string][] | Record<string, string> | Headers;

declare class Headers {
  constructor(init?: HeadersInit);
  get(name: string): string | null;
  has(name: string): boolean;
  forEach(callback: (value: string, name: string) => void): void;
}

type BodyInit = string | Uint8Array<ArrayBuffer> | ArrayBuffer;

interface RequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit | null;
  signal?: unknown;
}

declare class Request {
  constructor(input: string | URL | Request, init?: RequestInit);
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
}

declare class Response {
  constructor(body?: BodyInit | null, init?: { status?: number; statusText?: string; headers?: HeadersInit });
  readonly status: number;
  readonly ok: boolean;
  readonly headers: Headers;
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/**
 * Only the type of fetch: the component has no fetch of its own on Theater (no wasi:http), so the
 * adapter hands core one over Theater's http-client (ClientOptions.fetch). `this: never` makes a
 * call to this global a type error in core, while `typeof fetch` still names the shape.
 */
declare const fetch: (this: never, input: string | URL | Request, init?: RequestInit) => Promise<Response>;
