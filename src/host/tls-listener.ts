/**
 * The Node server behind one http-framework server: plain HTTP, or HTTPS when it has a tls-config,
 * loaded as c50 loads it, so that the files c50 refuses are refused here too, in c50's words.
 * c50b1871: `crates/theater-handler-http-framework/src/tls.rs` (load_certs, load_private_key,
 * create_tls_config), `server_instance.rs:605-669` (start_https), `lib.rs:169-174` (create-server);
 * its Cargo.lock pins rustls 0.23.31 on aws-lc-rs, rustls-pemfile 2.2.0 and axum-server 0.7.2.
 * - Paths are used as given: a relative one is relative to the server process's working directory.
 * - The certificate file gives every CERTIFICATE block; the first (the server's own) must be X.509
 *   v3 (rustls checks the key against it with webpki, which takes v3 only).
 * - The key file gives its first RSA PRIVATE KEY (PKCS#1), PRIVATE KEY (PKCS#8) or EC PRIVATE KEY
 *   (SEC1) block; an ENCRYPTED PRIVATE KEY is no key. The key must be RSA of 2048 to 8192 bits,
 *   ECDSA on P-256, P-384 or P-521, or Ed25519, and belong to the first certificate.
 * - No ALPN is offered (axum-server's RustlsConfig::from_config sets none): clients speak HTTP/1.1.
 * The one difference: c50 checks the files before it builds the router, this host after.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

export interface TlsPaths {
  certPath: string;
  keyPath: string;
}

/** create-server's own check (lib.rs:169-174): the files are read only when the server starts. */
export function tlsConfigOf(config: TlsPaths | undefined): TlsPaths | undefined {
  if (config && (config.certPath === '' || config.keyPath === '')) throw 'Invalid TLS configuration';
  return config && { certPath: config.certPath, keyPath: config.keyPath };
}

const KEY_LABELS = new Set(['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY']);
const CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

interface Block {
  label: string;
  pem: string;
  der: Buffer;
}

/** PEM blocks in file order; undefined when a block's body is not base64 (rustls-pemfile: a parse error). */
function blocks(text: string): Block[] | undefined {
  const found: Block[] = [];
  for (const m of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)) {
    const body = m[2]!.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) return undefined;
    found.push({ label: m[1]!, pem: m[0], der: Buffer.from(body, 'base64') });
  }
  return found;
}

const validationFailed = (why: string) => `Failed to start server: TLS validation failed: ${why}`;
const configFailed = 'Failed to start server: Failed to create TLS config: Failed to create TLS configuration';

/** validate_tls_config (tls.rs:115-156): both paths there and files, then each file loaded. */
function read(paths: TlsPaths): { certs: Block[]; key: Block } {
  const kind = (path: string) => statSync(path, { throwIfNoEntry: false });
  if (!kind(paths.certPath)) throw validationFailed(`Certificate file not found: ${paths.certPath}`);
  if (!kind(paths.keyPath)) throw validationFailed(`Private key file not found: ${paths.keyPath}`);
  if (!kind(paths.certPath)!.isFile()) throw validationFailed(`Certificate path is not a file: ${paths.certPath}`);
  if (!kind(paths.keyPath)!.isFile()) throw validationFailed(`Private key path is not a file: ${paths.keyPath}`);
  const text = (path: string, what: string) => {
    try {
      return readFileSync(path, 'latin1');
    } catch {
      throw validationFailed(`Failed to open ${what} file: ${path}`);
    }
  };
  const inCert = blocks(text(paths.certPath, 'certificate'));
  if (!inCert) throw validationFailed(`Failed to parse certificates from: ${paths.certPath}`);
  const certs = inCert.filter((b) => b.label === 'CERTIFICATE');
  if (certs.length === 0) throw validationFailed(`No certificates found in file: ${paths.certPath}`);
  const inKey = blocks(text(paths.keyPath, 'private key'));
  if (!inKey) throw validationFailed(`Failed to parse private key from: ${paths.keyPath}`);
  const key = inKey.find((b) => KEY_LABELS.has(b.label));
  if (!key) throw validationFailed(`No private key found in file: ${paths.keyPath}`);
  return { certs, key };
}

/** The key types rustls's aws-lc-rs provider signs with (crypto/aws_lc_rs/sign.rs any_supported_type). */
function signable(key: KeyObject, label: string): boolean {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return (details.modulusLength ?? 0) >= 2048 && (details.modulusLength ?? 0) <= 8192;
  if (key.asymmetricKeyType === 'ec') return CURVES.has(details.namedCurve ?? '');
  return key.asymmetricKeyType === 'ed25519' && label === 'PRIVATE KEY';
}

/** X.509 v3: the tbsCertificate opens with `[0] { INTEGER 2 }` (webpki cert.rs version3). */
function isVersion3(der: Buffer): boolean {
  let at = 0;
  const skipHeader = () => {
    const length = der[at + 1] ?? 0;
    at += 2 + (length & 0x80 ? length & 0x7f : 0);
  };
  if (der[at] !== 0x30) return false;
  skipHeader();
  if (der[at] !== 0x30) return false;
  skipHeader();
  return der.subarray(at, at + 5).equals(Buffer.from([0xa0, 0x03, 0x02, 0x01, 0x02]));
}

/** ServerConfig::with_single_cert (rustls 0.23.31): a key it can use, matching the first certificate. */
function configure(certs: Block[], key: Block): { cert: string; key: string } {
  try {
    const privateKey = createPrivateKey({ key: key.pem, format: 'pem' });
    const leaf = new X509Certificate(certs[0]!.pem);
    if (signable(privateKey, key.label) && isVersion3(certs[0]!.der) && leaf.checkPrivateKey(privateKey)) {
      return { cert: certs.map((c) => c.pem).join('\n'), key: key.pem };
    }
  } catch {
    // Unreadable DER: rustls refuses it the same way.
  }
  throw configFailed;
}

export function listenerFor(tls: TlsPaths | undefined, serve: (req: IncomingMessage, res: ServerResponse) => void): Server {
  if (!tls) return createServer(serve);
  const { certs, key } = read(tls);
  // Node offers `http/1.1` by ALPN unless told otherwise; c50 offers nothing.
  return createTlsServer({ ...configure(certs, key), ALPNProtocols: [] }, serve);
}
