/** Importing a file of chats, and why one was refused in words a person can act on. */
import type { FrameOf } from './protocol.js';
import { info, isOffline, notice, problem, type Notice } from './notices.js';
import { openChat } from './actions.js';
import { connection } from './socket.js';

/** Why a file was refused, as a person can act on it; the checker's own words go behind Details. */
function importProblem(name: string, reply: FrameOf<'error'>): Notice {
  if (isOffline(reply)) return problem(reply);
  const refused = `“${name}” could not be imported`;
  const takes = 'Import takes a theater-chat export or a ChatGPT conversations.json.';
  if (reply.code === 'invalid_json') return { text: `${refused}: it is not JSON. ${takes}`, detail: reply.message };
  if (reply.code === 'payload_too_large') return { text: `${refused}: it is too large.`, detail: reply.message };
  return { text: `${refused}: it does not read as a theater-chat export or a ChatGPT conversations.json (or it was changed after export).`, detail: reply.message };
}

export async function importFile(file: File): Promise<void> {
  const reply = await connection.request({ type: 'import_chat', content: await file.text() });
  if (reply.type === 'error') {
    info.value = null;
    notice.value = importProblem(file.name, reply);
    return;
  }
  if (reply.type === 'imported' && reply.chats[0]) {
    notice.value = null;
    info.value = `Imported ${reply.chats.length === 1 ? `“${reply.chats[0].name}”` : `${reply.chats.length} chats`}.`;
    await openChat(reply.chats[0].id);
  }
}
