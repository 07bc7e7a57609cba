import { describe, expect, it } from 'vitest';
import { bySpecificity, checkRoutePath, compilePattern, matchPattern } from '../../src/host/router.js';

describe('route patterns as c50 (axum 0.8) reads them', () => {
  it('extracts {param} values percent-decoded', () => {
    expect(matchPattern(compilePattern('/api/chats/{id}'), '/api/chats/42')).toEqual({ id: '42' });
    expect(matchPattern(compilePattern('/api/chats/{id}'), '/api/chats/a%20b')).toEqual({ id: 'a b' });
    expect(matchPattern(compilePattern('/api/chats/{id}'), '/api/chats/')).toBeUndefined();
    expect(matchPattern(compilePattern('/api/chats/{id}'), '/api/chats/1/x')).toBeUndefined();
  });

  it('captures the rest of the path with {*rest}', () => {
    const p = compilePattern('/assets/{*path}');
    expect(matchPattern(p, '/assets/a/b.js')).toEqual({ path: 'a/b.js' });
    expect(matchPattern(p, '/assets/')).toBeUndefined();
    expect(matchPattern(p, '/assets')).toBeUndefined();
  });

  it('matches the root only to "/"', () => {
    expect(matchPattern(compilePattern('/'), '/')).toEqual({});
    expect(matchPattern(compilePattern('/'), '/x')).toBeUndefined();
  });

  it('prefers static segments to parameters and parameters to catch-alls', () => {
    const patterns = ['/a/{*rest}', '/a/{id}', '/a/new'].map(compilePattern).sort(bySpecificity);
    expect(patterns.map((p) => p.pattern)).toEqual(['/a/new', '/a/{id}', '/a/{*rest}']);
  });

  it('refuses what c50 refuses at add-route and at router build', () => {
    expect(checkRoutePath('api')).toMatch(/start with/);
    expect(checkRoutePath('/files/*')).toMatch(/wildcard/);
    expect(checkRoutePath('/a/{id')).toMatch(/Unbalanced/);
    expect(checkRoutePath('/a/{id}')).toBeUndefined();
    expect(() => compilePattern('/a/:id')).toThrow(/':'/);
    expect(() => compilePattern('/a/{*rest}/b')).toThrow(/last segment/);
  });
});
