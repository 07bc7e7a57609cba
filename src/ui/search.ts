/** Finding a message in any chat: results as the person types, and going to one. */
import { signal } from '@preact/signals';
import type { SearchHit } from './protocol.js';
import { reveal } from './chats.js';
import { openChat, selectMessage } from './actions.js';
import { connection } from './socket.js';
import { interactions } from './focus.js';

export const searchResults = signal<SearchHit[] | null>(null);
/** More messages match than the results hold (the best come first). */
export const moreFound = signal(false);

let searchTimer: ReturnType<typeof setTimeout> | undefined;
/** The query the results are wanted for: a slower answer to an earlier one is dropped. */
let wantedQuery = '';

/** Searches every message of every chat as the user types (after a short pause); '' clears. */
export function searchMessages(query: string): void {
  clearTimeout(searchTimer);
  const changed = query.trim() !== wantedQuery;
  wantedQuery = query.trim();
  // Hits for what was typed before are not offered meanwhile: Enter would open one of them.
  if (changed) searchResults.value = null;
  if (wantedQuery.length < 2) return;
  const wanted = wantedQuery;
  searchTimer = setTimeout(async () => {
    const reply = await connection.request({ type: 'search', query: wanted });
    if (reply.type === 'search_results' && wanted === wantedQuery) {
      moreFound.value = reply.more;
      searchResults.value = reply.results;
    }
  }, 200);
}

export async function openResult(hit: SearchHit): Promise<void> {
  const asked = interactions();
  await openChat(hit.chat_id);
  if (!hit.on_selected_branch) await selectMessage(hit.message_id);
  reveal.value = { id: hit.message_id, asked };
}
