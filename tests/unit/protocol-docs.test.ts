import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands } from '../../src/core/protocol/commands.js';
import { ServerFrame } from '../../src/core/protocol/frames.js';
import { ROOT } from '../helpers/host.js';

const doc = readFileSync(join(ROOT, 'docs/protocol.md'), 'utf8');
const FRAME_TYPES = ServerFrame.options.map((f) => f.shape.type.value);

describe('docs/protocol.md', () => {
  it('documents every command', () => {
    for (const c of Commands) expect(doc, c.shape.type.value).toContain(`### \`${c.shape.type.value}\``);
  });
  it('documents every frame', () => {
    expect(FRAME_TYPES.length).toBeGreaterThan(5);
    for (const t of FRAME_TYPES) expect(doc, t).toContain(`### \`${t}\``);
  });
});
