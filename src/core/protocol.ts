import { z } from 'zod';
import { AppError } from './errors.js';
import type { ErrorCode } from './errors.js';

/**
 * The WebSocket protocol, one zod schema per command: the single source of truth
 * for the actor, the UI and docs/protocol.md.
 */
export const PROTOCOL_VERSION = 1;

/** Echoed in the reply so a client can match answers to questions. */
const RequestId = z.string().max(128).optional();

export const PingCommand = z.object({ type: z.literal('ping'), request_id: RequestId });

export const ClientCommand = z.discriminatedUnion('type', [PingCommand]);
export type ClientCommand = z.infer<typeof ClientCommand>;
export type CommandType = ClientCommand['type'];

export type ServerFrame =
  | { type: 'pong'; request_id?: string; protocol: number }
  | { type: 'error'; code: ErrorCode; message: string; request_id?: string };

const COMMAND_TYPES = new Set<string>(ClientCommand.options.map((o) => o.shape.type.value));

/** A frame at most this large is parsed; a bigger one is refused before JSON.parse. */
export const MAX_FRAME_BYTES = 2 * 1024 * 1024;

export interface ParsedFrame {
  command?: ClientCommand;
  error?: AppError;
  requestId?: string;
}

/** Parses one text frame; never throws. A request_id is recovered even from a rejected command. */
export function parseFrame(text: string): ParsedFrame {
  if (text.length > MAX_FRAME_BYTES) {
    return { error: new AppError('payload_too_large', `frame is larger than ${MAX_FRAME_BYTES} bytes`) };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { error: new AppError('invalid_json', 'frame is not valid JSON') };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { error: new AppError('bad_request', 'a command must be a JSON object with a "type"') };
  }
  const record = raw as Record<string, unknown>;
  const requestId = typeof record.request_id === 'string' && record.request_id.length <= 128 ? record.request_id : undefined;
  const type = record.type;
  if (typeof type !== 'string') {
    return { requestId, error: new AppError('bad_request', 'a command needs a string "type"') };
  }
  if (!COMMAND_TYPES.has(type)) {
    return { requestId, error: new AppError('unknown_command', `unknown command type "${type.slice(0, 64)}"`) };
  }
  const parsed = ClientCommand.safeParse(raw);
  if (!parsed.success) {
    return { requestId, error: new AppError('bad_request', `invalid "${type}" command: ${z.prettifyError(parsed.error)}`) };
  }
  return { requestId, command: parsed.data };
}
