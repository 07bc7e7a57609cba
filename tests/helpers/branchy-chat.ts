/** A small chat with two versions of its answer, made natively: the fixture of the search and carry tests. */
import type { NativeApp } from './native-app.js';

export type Msg = { id: string; role: string; content: string; parent_id: string | null };
// Frames as the tests read them: shapes are checked by the protocol schema in NativeApp.
export type F = Record<string, any>;

/** "Travel plans": a question, an answer, and that answer edited into a second version (selected). */
export async function chatWithBranches(app: NativeApp) {
  await app.connect('c');
  const chat = ((await app.command('c', { type: 'create_chat', name: 'Travel plans' })) as F).chat;
  const q = ((await app.command('c', { type: 'send_message', content: 'Where should I go in October?' })) as F).message as Msg;
  const a1 = ((await app.command('c', { type: 'send_message', content: 'Lisbon has warm autumn evenings' })) as F).message as Msg;
  await app.command('c', { type: 'edit_message', message_id: a1.id, content: 'Kyoto has maple leaves turning red' });
  return { chat, q, a1 };
}
