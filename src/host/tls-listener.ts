/** The Node server behind one http-framework server: plain HTTP, or HTTPS when it has a tls-config. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { readFileSync } from 'node:fs';

export function listenerFor(tls: { certPath: string; keyPath: string } | undefined, serve: (req: IncomingMessage, res: ServerResponse) => void): Server {
  if (!tls) return createServer(serve);
  // Relative paths resolve against the working directory, as Theater's do.
  let pem: { cert: Buffer; key: Buffer };
  try {
    pem = { cert: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) };
  } catch (e) {
    throw `Failed to load TLS certificate or key: ${(e as Error).message}`;
  }
  return createTlsServer(pem, serve);
}
