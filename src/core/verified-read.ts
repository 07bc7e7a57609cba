/**
 * Reading a content-addressed object back: whatever the label points at is hashed again and
 * compared with the id it was asked for, so a damaged or swapped object is reported, never served.
 * Nodes and files share this; only how an id is made from bytes differs.
 */
import { AppError } from './errors.js';
import type { Ports } from './ports.js';

export async function readVerified(
  ports: Pick<Ports, 'content' | 'labels'>,
  label: string,
  what: string,
  idOf: (bytes: Uint8Array) => Promise<string>,
  id: string,
): Promise<Uint8Array> {
  const ref = ports.labels.get(label);
  if (ref === undefined) throw new AppError('not_found', `no ${what} ${id}`);
  let bytes: Uint8Array;
  try {
    bytes = ports.content.get(ref);
  } catch {
    throw new AppError('corrupt_object', `${what} ${id} is missing from the store`);
  }
  if ((await idOf(bytes)) !== id) throw new AppError('corrupt_object', `${what} ${id} does not match its id: the store is damaged`);
  return bytes;
}
