import { describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentImports, filesystemImports } from '../../src/host/sandbox.js';
import { tempDir } from '../helpers/host.js';

describe('filesystem handler', () => {
  const base = tempDir();
  mkdirSync(join(base, 'sub'));
  writeFileSync(join(base, 'sub/key.txt'), 'k');
  const outside = tempDir();
  writeFileSync(join(outside, 'secret'), 's');
  symlinkSync(outside, join(base, 'link'));
  const fs = filesystemImports(base);

  it('reads inside its folder', () => {
    expect(new TextDecoder().decode(fs.readFile('sub/key.txt'))).toBe('k');
    expect(fs.pathExists('sub/none')).toBe(false);
  });

  it('refuses .., absolute paths and links that lead out', () => {
    expect(() => fs.readFile('../x')).toThrow(/outside/);
    expect(() => fs.readFile('sub/../../x')).toThrow(/outside/);
    expect(() => fs.readFile('/etc/passwd')).toThrow(/outside/);
    expect(() => fs.readFile('link/secret')).toThrow(/outside/);
  });

  it('does not run commands', () => {
    expect(() => fs.executeCommand('.', 'ls', [])).toThrow(/disabled/);
  });
});

describe('environment handler', () => {
  it('shows only allowed variables', () => {
    const env = environmentImports(['A'], { A: '1', SECRET: 'x' });
    expect(env.getVar('A')).toBe('1');
    expect(env.getVar('SECRET')).toBeUndefined();
    expect(env.exists('SECRET')).toBe(false);
    expect(env.listVars()).toEqual([['A', '1']]);
  });
});
