/** One error type for every expected failure; the edge turns it into an HTTP body or a socket frame. */
import { z } from 'zod';

export const ErrorCode = z.enum([
  'bad_request',
  'invalid_json',
  'unknown_command',
  'not_found',
  'method_not_allowed',
  'forbidden',
  'unauthorized',
  'payload_too_large',
  'conflict',
  'corrupt_object',
  'upstream_error',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  unknown_command: 400,
  not_found: 404,
  method_not_allowed: 405,
  forbidden: 403,
  unauthorized: 401,
  payload_too_large: 413,
  conflict: 409,
  corrupt_object: 500,
  upstream_error: 502,
  internal: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** Anything thrown becomes an AppError; unexpected ones keep their message but not their stack. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new AppError('internal', message || 'internal error');
}

export function errorBody(e: AppError): ErrorBody {
  return { error: { code: e.code, message: e.message } };
}
