import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers/host.js';
import { filesUnder } from '../helpers/files.js';
// @ts-expect-error: a plain .mjs script without types
import { generate } from '../../scripts/gen-types.mjs';

function files(dir: string): Record<string, string> {
  return Object.fromEntries(filesUnder(dir).map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
}

describe('committed WIT types', () => {
  it('are what `npm run gen:types` makes from wit/', () => {
    const out = tempDir();
    (generate as (dir: string) => void)(out);
    expect(files(join(ROOT, 'types'))).toEqual(files(out));
  });
});
