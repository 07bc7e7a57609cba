import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initStateBytes, loadManifest, parseManifest } from '../../src/host/manifest.js';
import { ROOT } from '../helpers/host.js';

describe('actor.toml in c50 format', () => {
  it('reads the project manifest, and every file it names exists after a build', () => {
    const loaded = loadManifest(join(ROOT, 'actor.toml'));
    expect(loaded.manifest.name).toBe('theater-chat');
    expect(existsSync(loaded.componentPath)).toBe(true);
    expect(loaded.filesystemBase && existsSync(loaded.filesystemBase)).toBe(true);
    expect(loaded.initState).toMatchObject({ port: 8084, host: '127.0.0.1' });
    expect(loaded.allowedEnv).toContain('ANTHROPIC_API_KEY');
  });

  it('requires version, as c50 does', () => {
    expect(() => parseManifest('name = "x"\ncomponent = "a.wasm"\n')).toThrow(/version/);
  });

  it('refuses a filesystem handler without path or new_dir (c50 would panic)', () => {
    expect(() => parseManifest('name = "x"\nversion = "1"\ncomponent = "a.wasm"\n[[handler]]\ntype = "filesystem"\n')).toThrow(/path/);
  });

  it('refuses unknown handler types', () => {
    expect(() => parseManifest('name = "x"\nversion = "1"\ncomponent = "a.wasm"\n[[handler]]\ntype = "websocket-server"\n')).toThrow();
  });

  it('hands over init state as compact JSON with sorted keys, overrides winning', () => {
    const bytes = initStateBytes({ port: 8084, b: { z: 1, a: 2 }, host: 'h' }, { port: 0 });
    expect(new TextDecoder().decode(bytes)).toBe('{"b":{"a":2,"z":1},"host":"h","port":0}');
    expect(initStateBytes(undefined, {})).toBeUndefined();
  });

  it('keeps the init.json the manifest names valid JSON', () => {
    expect(() => JSON.parse(readFileSync(join(ROOT, 'assets/init.json'), 'utf8'))).not.toThrow();
  });
});
