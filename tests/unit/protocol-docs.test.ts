import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands } from '../../src/core/protocol/commands.js';
import { ServerFrame } from '../../src/core/protocol/frames.js';
import { ChatView, MessageView } from '../../src/core/chats/views.js';
import { UsageTotals } from '../../src/core/chats/record.js';
import { Usage } from '../../src/core/dag/node.js';
import { Attachment } from '../../src/core/dag/parts.js';
import { ChatExportSchema } from '../../src/core/carry/export.js';
import { ModelInfo } from '../../src/core/claude/models.js';
import { ROOT } from '../helpers/host.js';

const doc = readFileSync(join(ROOT, 'docs/protocol.md'), 'utf8');
const FRAME_TYPES = ServerFrame.options.map((f) => f.shape.type.value);

/** The text from a heading to the next heading of any level. */
function section(heading: string): string {
  const start = doc.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const rest = doc.slice(start + heading.length);
  const end = rest.search(/^#{2,3} /m);
  return end < 0 ? rest : rest.slice(0, end);
}

const fieldsOf = (shape: Record<string, unknown>) => Object.keys(shape);

describe('docs/protocol.md', () => {
  it('documents every command', () => {
    for (const c of Commands) expect(doc, c.shape.type.value).toContain(`### \`${c.shape.type.value}\``);
  });
  it('documents every frame', () => {
    expect(FRAME_TYPES.length).toBeGreaterThan(5);
    for (const t of FRAME_TYPES) expect(doc, t).toContain(`### \`${t}\``);
  });
  it("names every field of every command in that command's section", () => {
    for (const c of Commands) {
      const type = c.shape.type.value;
      const text = section(`### \`${type}\``);
      for (const field of fieldsOf(c.shape).filter((f) => f !== 'type' && f !== 'request_id')) expect(text, `${type}.${field}`).toContain(`"${field}"`);
    }
  });
  it('names every field of the objects the frames carry', () => {
    const objects = section('## Objects');
    for (const field of [...fieldsOf(ChatView.shape), ...fieldsOf(UsageTotals.shape), ...fieldsOf(MessageView.shape), ...fieldsOf(Usage.shape), ...fieldsOf(Attachment.shape)]) {
      expect(objects, field).toContain(`"${field}"`);
    }
    const models = section('### `models_list`');
    for (const field of [...fieldsOf(ModelInfo.shape), ...fieldsOf(ModelInfo.shape.capabilities.shape)]) expect(models, field).toContain(`"${field}"`);
  });
  it('names every field of the export format', () => {
    const text = section('### `export_chat`');
    for (const field of [...fieldsOf(ChatExportSchema.shape), ...fieldsOf(ChatExportSchema.shape.chat.shape), ...fieldsOf(ChatExportSchema.shape.nodes.element.shape)]) {
      expect(text, field).toContain(field);
    }
  });
});
