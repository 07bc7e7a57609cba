/**
 * The Node host loads a tls-config as Theater c50 does (src/host/tls-listener.ts cites the source):
 * what c50 serves with is served, what it refuses at start-server is refused here, in its words.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { listenerFor, tlsConfigOf } from '../../src/host/tls-listener.js';
import { tempDir } from '../helpers/host.js';

let dir: string;
const at = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'ignore'] });

/** A key made with `genpkey`/`ecparam` arguments, and a self-signed v3 certificate for it. */
function pair(name: string, ...keygen: string[]): { cert: string; key: string } {
  const key = at(`${name}.key`);
  if (keygen[0] === 'ecparam') writeFileSync(key, openssl(...keygen, '-genkey', '-noout'));
  else openssl('genpkey', ...keygen, '-out', key);
  openssl('req', '-x509', '-key', key, '-subj', '/CN=localhost', '-days', '1', '-out', at(`${name}.crt`));
  return { cert: at(`${name}.crt`), key };
}

const CONFIG_FAILED = 'Failed to start server: Failed to create TLS config: Failed to create TLS configuration';
const load = (cert: string, key: string) => () => listenerFor({ certPath: cert, keyPath: key }, (_q, res) => res.end('ok'));

let rsa: { cert: string; key: string };

beforeAll(() => {
  dir = tempDir();
  rsa = pair('rsa', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048');
});

describe('what c50 serves with', () => {
  it('serves HTTPS with an RSA key (PKCS#8 and PKCS#1), offering no ALPN', async () => {
    writeFileSync(at('rsa1.key'), openssl('pkey', '-in', rsa.key, '-traditional'));
    expect(readFileSync(at('rsa1.key'), 'utf8')).toContain('BEGIN RSA PRIVATE KEY');
    expect(load(rsa.cert, at('rsa1.key'))).not.toThrow();
    const server = load(rsa.cert, rsa.key)();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const alpn = await new Promise<string | false | null>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, rejectUnauthorized: false, ALPNProtocols: ['h2', 'http/1.1'] }, () => {
          resolve(socket.alpnProtocol);
          socket.end();
        });
        socket.on('error', reject);
      });
      expect(alpn).toBe(false);
    } finally {
      server.close();
    }
  });

  it('takes ECDSA keys (SEC1 or PKCS#8) on P-256 and P-384, Ed25519, and a key after a certificate in its file', () => {
    for (const [name, ...keygen] of [
      ['p256', 'ecparam', '-name', 'prime256v1'],
      ['p384', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
      ['ed25519', '-algorithm', 'ED25519'],
    ] as const) {
      const { cert, key } = pair(name, ...keygen);
      expect(load(cert, key), name).not.toThrow();
    }
    writeFileSync(at('both.pem'), readFileSync(rsa.cert, 'utf8') + readFileSync(rsa.key, 'utf8'));
    expect(load(at('both.pem'), at('both.pem'))).not.toThrow();
  });
});

describe('what c50 refuses, in its words', () => {
  it('refuses an empty path at create-server', () => {
    expect(() => tlsConfigOf({ certPath: '', keyPath: rsa.key })).toThrow('Invalid TLS configuration');
  });

  it('refuses missing paths, folders, and files without a certificate or an unencrypted key', () => {
    mkdirSync(at('folder'));
    writeFileSync(at('encrypted.key'), openssl('pkcs8', '-topk8', '-in', rsa.key, '-passout', 'pass:secret'));
    expect(readFileSync(at('encrypted.key'), 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    const failed = (why: string) => `Failed to start server: TLS validation failed: ${why}`;
    expect(load(at('none.crt'), rsa.key)).toThrow(failed(`Certificate file not found: ${at('none.crt')}`));
    expect(load(rsa.cert, at('none.key'))).toThrow(failed(`Private key file not found: ${at('none.key')}`));
    expect(load(at('folder'), rsa.key)).toThrow(failed(`Certificate path is not a file: ${at('folder')}`));
    expect(load(rsa.key, rsa.key)).toThrow(failed(`No certificates found in file: ${rsa.key}`));
    expect(load(rsa.cert, rsa.cert)).toThrow(failed(`No private key found in file: ${rsa.cert}`));
    expect(load(rsa.cert, at('encrypted.key'))).toThrow(failed(`No private key found in file: ${at('encrypted.key')}`));
  });

  it('refuses keys rustls cannot sign with, a key of another certificate, and an X.509 v1 certificate', () => {
    const small = pair('rsa1024', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024');
    const ed448 = pair('ed448', '-algorithm', 'ED448');
    const k1 = pair('secp256k1', 'ecparam', '-name', 'secp256k1');
    const other = pair('other', 'ecparam', '-name', 'prime256v1');
    openssl('req', '-new', '-key', rsa.key, '-subj', '/CN=localhost', '-out', at('rsa.csr'));
    openssl('x509', '-req', '-in', at('rsa.csr'), '-signkey', rsa.key, '-days', '1', '-out', at('v1.crt'));
    expect(openssl('x509', '-in', at('v1.crt'), '-noout', '-text').toString()).toContain('Version: 1 (0x0)');
    for (const [cert, key] of [
      [small.cert, small.key],
      [ed448.cert, ed448.key],
      [k1.cert, k1.key],
      [rsa.cert, other.key],
      [at('v1.crt'), rsa.key],
    ]) {
      expect(load(cert!, key!), key).toThrow(CONFIG_FAILED);
    }
  });
});
