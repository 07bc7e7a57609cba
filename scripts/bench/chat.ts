/**
 * Issue-3 figures: append cost at depth 10 vs 10,000, actor state size, and a 1,000-message branch
 * in one reply through the component vs the core natively. The stores are built natively on disk
 * (the same format the component reads), then the component opens them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeApp } from '../../tests/helpers/native-app.js';
import { filePorts } from '../../src/host/file-ports.js';
import { ChatService } from '../../src/core/chats/service.js';

export interface ChatFixture {
  storeRoot: string;
  chats: Record<'shallow' | 'deep' | 'k1000', string>;
}

async function fill(app: NativeApp, name: string, count: number): Promise<string> {
  const created = (await app.command('b', { type: 'create_chat', name })) as { chat: { id: string } };
  for (let i = 0; i < count; i++) {
    const r = await app.command('b', { type: 'send_message', content: `message ${i} of ${name}: ${'lorem ipsum '.repeat(8)}` });
    if (r.type !== 'message_added') throw new Error(JSON.stringify(r));
  }
  return created.chat.id;
}

export async function buildChatFixture(deepCount = 10_000): Promise<ChatFixture> {
  const storeRoot = join(mkdtempSync(join(tmpdir(), 'bench-chat-')), 'store');
  const app = new NativeApp(filePorts(storeRoot));
  await app.connect('b');
  const shallow = await fill(app, 'shallow', 10);
  const k1000 = await fill(app, 'k1000', 1000);
  const deep = await fill(app, 'deep', deepCount);
  return { storeRoot, chats: { shallow, deep, k1000 } };
}

/** The core natively over the same on-disk store, for the baseline. */
export async function nativeBranchTimes(storeRoot: string, chatId: string, runs: number): Promise<number[]> {
  const app = new NativeApp(filePorts(storeRoot));
  await app.connect('n');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = await app.command('n', { type: 'get_branch', chat_id: chatId });
    times.push(performance.now() - t);
    if (r.type !== 'branch') throw new Error(JSON.stringify(r).slice(0, 200));
  }
  return times;
}

/** A chat of 1,000 messages, half of them Markdown replies, for the UI benchmark. */
export async function buildUiFixture(): Promise<{ storeRoot: string; chatId: string }> {
  const storeRoot = join(mkdtempSync(join(tmpdir(), 'bench-ui-')), 'store');
  const ports = filePorts(storeRoot);

  const chats = new ChatService(ports);
  const chat = await chats.create({ name: 'A long conversation' });
  const reply = (i: number) =>
    `Reply ${i}: here is **bold** text, a list and some code.\n\n- first point\n- second point\n\n\`\`\`ts\nconst answer${i}: number = ${i};\nconsole.log(answer${i});\n\`\`\`\n`;
  for (let i = 0; i < 500; i++) {
    await chats.append(chat.id, { role: 'user', content: `Question ${i}: ${'how does this work? '.repeat(3)}`, meta: {} });
    await chats.append(chat.id, { role: 'assistant', content: reply(i), meta: { model: 'claude-sonnet-5', usage: { input_tokens: 100, output_tokens: 50 } } });
  }
  return { storeRoot, chatId: chat.id };
}

/** What keeping the search index costs one append, measured natively with and without it. */
export async function appendCost(): Promise<{ withIndex: number; without: number }> {
  const { SearchIndex } = await import('../../src/core/search/index.js');
  const measure = async (indexed: boolean) => {
    const ports = memoryPortsForBench();
    const chats = new ChatService(ports, undefined, indexed ? [new SearchIndex(ports)] : []);
    const chat = await chats.create({ name: 'cost' });
    for (let i = 0; i < 300; i++) await chats.append(chat.id, { role: 'user', content: `warm ${i} lorem ipsum`, meta: {} });
    const t = performance.now();
    for (let i = 0; i < 500; i++) await chats.append(chat.id, { role: 'user', content: `message ${i} lorem ipsum dolor sit amet`, meta: {} });
    return (performance.now() - t) / 500;
  };
  return { without: await measure(false), withIndex: await measure(true) };
}

function memoryPortsForBench() {
  return filePorts(join(mkdtempSync(join(tmpdir(), 'bench-cost-')), 'store'));
}
