import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InitConfig } from '../../src/core/config.js';
import { ROOT } from '../helpers/host.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README.md', () => {
  it('has a row in its init state table for every init state field', () => {
    for (const field of Object.keys(InitConfig.shape)) expect(readme, field).toContain(`| \`${field}\` |`);
  });
});
