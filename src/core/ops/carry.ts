/** Chats in and out of the app: export as a file, import a file (ours or ChatGPT's). */
import { chatView, type ChatView } from '../chats/service.js';
import { exportChat, exportFilename, exportMarkdown } from '../carry/export.js';
import { prepareImport, writeImport } from '../carry/import.js';
import { changed, chatListed, type Change } from './change.js';
import { MAX_IMPORT_BYTES, type OpDeps } from './deps.js';

export interface ExportFile {
  chat_id: string;
  format: 'json' | 'markdown';
  filename: string;
  content: string;
}

export async function exportFile(d: OpDeps, chatId: string, format: 'json' | 'markdown' = 'json'): Promise<ExportFile> {
  const name = d.chats.get(chatId).name;
  if (format === 'markdown') return { chat_id: chatId, format, filename: exportFilename(name, 'md'), content: await exportMarkdown(d.chats, chatId) };
  return { chat_id: chatId, format, filename: exportFilename(name, 'json'), content: JSON.stringify(await exportChat(d.chats, d.blobs, chatId), null, 1) };
}

/** Checks the whole file first: a file with any fault writes nothing. */
export async function importFile(d: OpDeps, text: string, maxBytes = MAX_IMPORT_BYTES): Promise<Change<ChatView[]>> {
  const prepared = await prepareImport(text, d.chats, d.blobs, maxBytes);
  const chats = (await writeImport(prepared, d.chats, d.blobs)).map(chatView);
  // Each chat went to the top as it was written: in that order, the same moves give the same list.
  return changed(chats, chats.map((chat) => chatListed(chat, 'top')));
}
