/**
 * The WebSocket commands, each a thin mapping onto an operation: the command's fields in, the
 * operation's result out as the reply frame. Nothing here stores, sends or keeps connection state.
 */
import { AppError } from '../errors.js';
import type { ClientCommand, CommandOf } from '../protocol/commands.js';
import { PROTOCOL_VERSION } from '../protocol/commands.js';
import type { ServerFrame } from '../protocol/frames.js';
import { APP_VERSION } from '../version.js';
import { changed, type Change } from '../ops/change.js';
import type { OpDeps } from '../ops/deps.js';
import { createChat, deleteChat, forkChat, listChats, updateChat } from '../ops/chats.js';
import { editMessage, getBranch, getHead, getMessage, getSiblings, getTree, selectSibling, sendMessage } from '../ops/messages.js';
import { cancelGeneration, generate, retry, runningIn } from '../ops/generation.js';
import { exportFile, importFile } from '../ops/carry.js';
import { listModels, search } from '../ops/lookup.js';

export interface SocketDeps extends OpDeps {
  /** The chat this connection is looking at, if any. */
  current: string | null;
}

type Handler<T extends ClientCommand['type']> = (d: SocketDeps, cmd: CommandOf<T>) => Promise<Change<ServerFrame>> | Change<ServerFrame>;

const as = <R>(change: Change<R>, frame: (result: R) => ServerFrame): Change<ServerFrame> => ({ ...change, result: frame(change.result) });
const reply = async (frame: Promise<ServerFrame> | ServerFrame): Promise<Change<ServerFrame>> => changed(await frame);

function chatOf(d: SocketDeps, chatId: string | undefined): string {
  const id = chatId ?? d.current;
  if (!id) throw new AppError('bad_request', 'no chat selected: give chat_id or send switch_chat first');
  return id;
}

const HANDLERS: { [T in ClientCommand['type']]: Handler<T> } = {
  hello: (d) =>
    changed({
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      version: APP_VERSION,
      chats: listChats(d),
      api_key_configured: d.llm?.hasKey() ?? false,
      generating: Object.values(d.generations).map((p) => ({ chat_id: p.chat_id, parent_id: p.parent_id })),
      generation_timeout_ms: d.generationTimeoutMs,
    }),
  ping: () => changed({ type: 'pong', protocol: PROTOCOL_VERSION }),
  list_chats: (d) => changed({ type: 'chats_update', chats: listChats(d) }),
  create_chat: async (d, { type: _t, request_id: _r, ...spec }) => as(await createChat(d, spec), (chat) => ({ type: 'chat_created', chat })),
  fork_chat: async (d, cmd) => as(await forkChat(d, cmd.message_id, cmd.name), (chat) => ({ type: 'chat_created', chat })),
  switch_chat: async (d, cmd) => {
    const running = runningIn(d.generations, cmd.chat_id)?.[1];
    const branch = await getBranch(d, cmd.chat_id);
    return { ...changed({ type: 'branch', ...branch, generating: running ? { parent_id: running.parent_id } : null } as const), opens: cmd.chat_id };
  },
  rename_chat: (d, cmd) => as(updateChat(d, cmd.chat_id, { name: cmd.name }), (chat) => ({ type: 'chat_updated', chat })),
  update_chat: (d, { type: _t, request_id: _r, chat_id, ...changes }) => as(updateChat(d, chat_id, changes), (chat) => ({ type: 'chat_updated', chat })),
  delete_chat: (d, cmd) => as(deleteChat(d, cmd.chat_id), ({ chat_id }) => ({ type: 'chat_deleted', chat_id })),
  send_message: async (d, cmd) => as(await sendMessage(d, chatOf(d, cmd.chat_id), cmd), (added) => ({ type: 'message_added', ...added })),
  edit_message: async (d, cmd) =>
    as(await editMessage(d, chatOf(d, cmd.chat_id), cmd.message_id, cmd), (added) => ({ type: 'message_added', ...added })),
  get_message: (d, cmd) => reply(getMessage(d, cmd.message_id).then((message) => ({ type: 'message', message }) as const)),
  get_head: (d, cmd) => changed({ type: 'head', ...getHead(d, cmd.chat_id ?? d.current) }),
  get_branch: (d, cmd) => reply(getBranch(d, chatOf(d, cmd.chat_id)).then((b) => ({ type: 'branch', ...b }) as const)),
  get_tree: (d, cmd) => reply(getTree(d, chatOf(d, cmd.chat_id)).then((t) => ({ type: 'tree', ...t }) as const)),
  get_siblings: (d, cmd) =>
    reply(
      getSiblings(d, chatOf(d, cmd.chat_id), cmd.message_id).then(
        (s) => ({ type: 'siblings', message_id: cmd.message_id, parent_id: s.parent_id, siblings: s.ids, index: s.index }) as const,
      ),
    ),
  select_sibling: async (d, cmd) => as(await selectSibling(d, chatOf(d, cmd.chat_id), cmd.message_id), (b) => ({ type: 'branch', ...b })),
  generate_llm_response: (d, cmd) =>
    generate(d, { chat_id: chatOf(d, cmd.chat_id), parent_id: cmd.parent_id, model: cmd.model_id, attempt: cmd.attempt, spent_ms: cmd.spent_ms }),
  retry: (d, cmd) => retry(d, { chat_id: chatOf(d, cmd.chat_id), message_id: cmd.message_id, attempt: cmd.attempt, spent_ms: cmd.spent_ms }),
  cancel_generation: (d, cmd) => cancelGeneration(d, chatOf(d, cmd.chat_id), cmd.parent_id, cmd.reason),
  search: (d, cmd) => reply(search(d, cmd.query, cmd.limit).then((found) => ({ type: 'search_results', query: cmd.query, ...found }) as const)),
  export_chat: (d, cmd) => reply(exportFile(d, chatOf(d, cmd.chat_id), cmd.format).then((file) => ({ type: 'export', ...file }) as const)),
  import_chat: async (d, cmd) => as(await importFile(d, cmd.content), (chats) => ({ type: 'imported', chats })),
  list_models: (d, cmd) => reply(listModels(d, cmd.refresh).then((list) => ({ type: 'models_list', ...list }) as const)),
};

export function runCommand(d: SocketDeps, cmd: ClientCommand): Promise<Change<ServerFrame>> | Change<ServerFrame> {
  return (HANDLERS[cmd.type] as Handler<typeof cmd.type>)(d, cmd as never);
}
