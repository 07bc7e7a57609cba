import { AppError, errorBody } from './errors.js';

/** A request as the core sees it, whatever server delivered it. */
export interface CoreRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-case names; a repeated header keeps its last value. */
  headers: ReadonlyMap<string, string>;
  params: Readonly<Record<string, string>>;
  body: Uint8Array | undefined;
}

export interface CoreResponse {
  status: number;
  headers: [string, string][];
  body?: Uint8Array;
}

const encoder = new TextEncoder();

/** Sent on every response: nothing served here may be framed, sniffed or leak its URL. */
export const SECURITY_HEADERS: [string, string][] = [
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'no-referrer'],
  ['x-frame-options', 'DENY'],
];

export function json(status: number, value: unknown, extra: [string, string][] = []): CoreResponse {
  return {
    status,
    headers: [['content-type', 'application/json; charset=utf-8'], ['cache-control', 'no-store'], ...SECURITY_HEADERS, ...extra],
    body: encoder.encode(JSON.stringify(value)),
  };
}

export function errorResponse(e: AppError): CoreResponse {
  return json(e.status, errorBody(e));
}

export function parseJsonBody(req: CoreRequest): unknown {
  if (!req.body || req.body.length === 0) throw new AppError('bad_request', 'request body is missing');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(req.body);
  } catch {
    throw new AppError('invalid_json', 'request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError('invalid_json', `request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}
