import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, tempDir } from '../helpers/host.js';
// @ts-expect-error: a plain .mjs script without types
import { generate } from '../../scripts/gen-types.mjs';

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out[relative(dir, join(d, e.name))] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('committed WIT types', () => {
  it('are what `npm run gen:types` makes from wit/', () => {
    const out = tempDir();
    (generate as (dir: string) => void)(out);
    expect(files(join(ROOT, 'types'))).toEqual(files(out));
  });
});
