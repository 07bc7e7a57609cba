import type { Ports } from './ports.js';
import { AppError } from './errors.js';

/** Written once when a store is first used; its presence is how a restart knows the store is ours. */
const META_LABEL = 'theater-chat/meta';
const SCHEMA = 1;

export function openStore(ports: Ports, storeId: string): void {
  const ref = ports.labels.get(META_LABEL);
  if (ref === undefined) {
    ports.labels.write(META_LABEL, JSON.stringify({ app: 'theater-chat', schema: SCHEMA }));
    ports.log.info(`created store ${storeId}`);
    return;
  }
  const meta = JSON.parse(new TextDecoder().decode(ports.content.get(ref))) as { schema?: unknown };
  if (meta.schema !== SCHEMA) {
    throw new AppError('conflict', `store ${storeId} has schema ${String(meta.schema)}, this build reads ${SCHEMA}`);
  }
  ports.log.info(`reopened store ${storeId}`);
}
