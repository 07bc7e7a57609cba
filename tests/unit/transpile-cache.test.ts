/** The transpile cache beside a component keeps the copies in use, not one per build forever. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/host.js';
import { pruneTranspiled, tuneGlue } from '../../src/host/transpile.js';

describe('the transpile cache', () => {
  it('keeps the most recently used copies and removes the others, leaving anything else alone', async () => {
    const cache = tempDir();
    const names = Array.from({ length: 9 }, (_, i) => i.toString(16).padStart(24, 'a'));
    names.forEach((name, i) => {
      mkdirSync(join(cache, name));
      writeFileSync(join(cache, name, 'meta.json'), '{}');
      // Used i minutes ago: the first is the most recent.
      const at = new Date(Date.now() - i * 60_000);
      utimesSync(join(cache, name), at, at);
    });
    mkdirSync(join(cache, `${names[8]}.123.tmp`));
    await pruneTranspiled(cache, 4);
    expect(readdirSync(cache).sort()).toEqual([...names.slice(0, 4), `${names[8]}.123.tmp`].sort());
  });

  it('does nothing to a cache folder that does not exist', async () => {
    await expect(pruneTranspiled(join(tempDir(), 'none'))).resolves.toBeUndefined();
  });
});

describe('the rewrite of jco’s glue', () => {
  const generated = `  const _debugLog = (...args) => {\n    if (!globalThis?.process?.env?.JCO_DEBUG) { return; }\n    console.debug(...args);\n  };\n`;

  it('reads JCO_DEBUG once per instance, not at every debug call', () => {
    const tuned = tuneGlue(generated);
    expect(tuned.match(/process\?\.env/g)).toHaveLength(1);
    expect(tuned).toContain('const _jcoDebug = !!globalThis?.process?.env?.JCO_DEBUG;');
    expect(tuned).toContain('if (!_jcoDebug) { return; }');
  });

  it('refuses glue it does not recognise rather than run it unrewritten', () => {
    expect(() => tuneGlue(generated.replace('JCO_DEBUG', 'JCO_TRACE'))).toThrow(/no longer generates the debug log/);
  });
});
