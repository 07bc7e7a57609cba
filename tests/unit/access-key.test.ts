import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureAccessKey } from '../../src/host/access-key.js';

describe('the Node host\'s access key', () => {
  it('makes none on loopback, and a 128-bit key only the owner reads beyond it, once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'access-key-'));
    try {
      expect(ensureAccessKey('127.0.0.1', dir, {})).toEqual({ kind: 'loopback' });
      const made = ensureAccessKey('0.0.0.0', dir, {});
      expect(made.kind).toBe('generated');
      const key = readFileSync(join(dir, 'access-key.txt'), 'utf8').trim();
      expect(key).toMatch(/^[0-9a-f]{32}$/);
      expect(made.kind === 'generated' && made.key).toBe(key);
      expect(statSync(join(dir, 'access-key.txt')).mode & 0o777).toBe(0o600);
      // The next start keeps it; the environment wins over the file.
      expect(ensureAccessKey('0.0.0.0', dir, {}).kind).toBe('file');
      expect(readFileSync(join(dir, 'access-key.txt'), 'utf8').trim()).toBe(key);
      expect(ensureAccessKey('192.168.1.20', dir, { THEATER_CHAT_ACCESS_KEY: 'k' })).toEqual({ kind: 'env' });
      writeFileSync(join(dir, 'access-key.txt'), '\n');
      expect(ensureAccessKey('::', dir, {}).kind).toBe('generated');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
