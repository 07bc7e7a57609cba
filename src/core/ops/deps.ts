/** What every operation may use: the chats, the limits, Claude, and the generations running now. */
import { AppError } from '../errors.js';
import type { ChatService } from '../chats/service.js';
import type { Llm } from '../claude/llm.js';
import type { ModelDirectory } from '../claude/directory.js';
import type { Pending } from '../generations.js';
import type { SearchIndex } from '../search/index.js';
import type { BlobStore } from '../blobs/store.js';
import type { AttachmentLimits } from '../claude/attachments.js';

export interface Limits {
  max_content_bytes: number;
  max_tokens: number;
}

export interface OpDeps {
  chats: ChatService;
  /** Attached files, by the CID of their bytes. */
  blobs: BlobStore;
  limits: Limits;
  /** What one attached file may be: the API's limits, or lower ones from the init state. */
  attachmentLimits: AttachmentLimits;
  llm?: Llm;
  models: ModelDirectory;
  /** Generations go to generator actors when true; otherwise they run inside the call. */
  pooled: boolean;
  /** Generations running or waiting for a generator now, by job id. */
  generations: Record<string, Pending>;
  generationTimeoutMs: number;
  /** The full-text index, when the host keeps one. */
  search?: SearchIndex;
}

/** The largest file the app imports (also the largest WebSocket frame it parses). */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
/**
 * An export file posted over HTTP may carry its attached files: up to this. On c50 every request
 * body stays in the actor's event chain (theater-c50.md §14), so this is not made larger.
 */
export const MAX_IMPORT_FILE_BYTES = 48 * 1024 * 1024;

const encoder = new TextEncoder();

export function checkContent(content: string, limits: Limits, field = 'content'): void {
  // A UTF-16 unit is at most 3 bytes of UTF-8: only a text near the limit is encoded to count them.
  if (content.length * 3 <= limits.max_content_bytes) return;
  const bytes = encoder.encode(content).length;
  if (bytes > limits.max_content_bytes) {
    throw new AppError('payload_too_large', `${field} is ${bytes} bytes; the limit is ${limits.max_content_bytes}`);
  }
}

