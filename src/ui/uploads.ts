/**
 * Files waiting to go with the next message: each is uploaded as soon as it is attached (POST
 * /api/blobs, the whole file in one request), so Send only names what the server already holds.
 */
import { signal } from '@preact/signals';
import { z } from 'zod';
import { AttachmentKind } from '../core/dag/parts.js';
import { kindOf, MAX_FILES, plainSizes, UNSUPPORTED, type FileKind } from './files.js';
import { say } from './notices.js';

const StoredBlob = z.object({
  cid: z.string(),
  kind: AttachmentKind,
  media_type: z.string(),
  size: z.number(),
  width: z.number().optional(),
  height: z.number().optional(),
  pages: z.number().optional(),
});
export type StoredBlob = z.infer<typeof StoredBlob>;
const Uploaded = z.object({ blob: StoredBlob });
const Refusal = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export interface Pending {
  key: number;
  name: string;
  size: number;
  kind: FileKind | null;
  state: 'uploading' | 'ready' | 'refused';
  /** 0 to 1, while uploading. */
  progress: number;
  blob?: StoredBlob;
  /** Why it cannot be sent, in plain words. */
  error?: string;
  abort?: () => void;
  done: Promise<void>;
}

export const pending = signal<Pending[]>([]);
let nextKey = 0;

function update(key: number, changes: Partial<Pending>): void {
  pending.value = pending.value.map((p) => (p.key === key ? { ...p, ...changes } : p));
}

/** Takes the files the person attached (picker, drop or paste); what Claude cannot read is refused at once. */
export function addFiles(files: readonly File[]): void {
  let room = MAX_FILES - pending.value.filter((p) => p.state !== 'refused').length;
  const added: Pending[] = [];
  for (const file of files) {
    const key = ++nextKey;
    const kind = kindOf(file);
    const base = { key, name: file.name || 'file', size: file.size, kind, progress: 0, done: Promise.resolve() };
    const refusal = !kind ? UNSUPPORTED : file.size === 0 ? 'The file is empty.' : room <= 0 ? `At most ${MAX_FILES} files go with one message.` : null;
    if (refusal) {
      added.push({ ...base, state: 'refused', error: refusal });
      continue;
    }
    room--;
    const request = new XMLHttpRequest();
    added.push({ ...base, state: 'uploading', abort: () => request.abort(), done: upload(request, key, file, kind!) });
  }
  pending.value = [...pending.value, ...added];
  const refused = added.filter((p) => p.state === 'refused');
  if (refused.length) say(refused.map((p) => `${p.name}: ${p.error}`).join(' '));
}

function upload(request: XMLHttpRequest, key: number, file: File, kind: FileKind): Promise<void> {
  return new Promise((resolve) => {
    const refuse = (error: string) => {
      update(key, { state: 'refused', error, abort: undefined });
      say(`${file.name}: ${error}`);
      resolve();
    };
    request.open('POST', '/api/blobs');
    request.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    // What the server checks the bytes against; a browser calls a .ts file video/mp2t.
    request.setRequestHeader('content-type', kind === 'text' ? 'text/plain' : kind === 'pdf' ? 'application/pdf' : file.type);
    request.upload.onprogress = (e) => e.lengthComputable && update(key, { progress: e.loaded / e.total });
    request.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = undefined;
      }
      const stored = Uploaded.safeParse(body);
      if (request.status === 201 && stored.success) {
        update(key, { state: 'ready', blob: stored.data.blob, progress: 1, abort: undefined });
        resolve();
        return;
      }
      const refusal = Refusal.safeParse(body);
      refuse(refusal.success ? sentence(plainSizes(refusal.data.error.message)) : `The upload failed (HTTP ${request.status}).`);
    };
    request.onerror = () => refuse('The upload was cut off: the server could not be reached, or it refused a file this large.');
    request.onabort = () => resolve();
    request.send(file);
  });
}

const sentence = (s: string) => {
  const t = s.trim();
  return t ? `${t[0]!.toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}` : 'The server refused the file.';
};

export function removePending(key: number): void {
  pending.value.find((p) => p.key === key)?.abort?.();
  pending.value = pending.value.filter((p) => p.key !== key);
}

export const uploading = () => pending.value.some((p) => p.state === 'uploading');

/** Waits for the uploads under way, then names what is ready to go (refused files stay behind). */
export async function readyFiles(): Promise<Pending[]> {
  // Files attached while waiting are waited for too.
  while (uploading()) await Promise.all(pending.value.map((p) => p.done));
  return pending.value.filter((p) => p.state === 'ready' && p.blob);
}
