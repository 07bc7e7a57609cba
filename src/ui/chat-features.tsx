/** A chat's extended thinking and web search, in its ⋯ menu: offered as far as its model can, with the reason when not. */
import { useState } from 'preact/hooks';
import type { ChatView } from './protocol.js';
import { DEFAULT_MODEL } from '../core/claude/models.js';
import { MAX_SEARCHES_PER_REQUEST, type Effort } from '../core/claude/features.js';
import { updateChat } from './actions.js';
import { models } from './session.js';
import { useChosen } from './chosen.js';

/** What the model list says the chat's model can do; a model it does not list is offered neither (as the server would send neither). */
function capabilitiesOf(modelId: string) {
  return models.value.find((m) => m.id === modelId)?.capabilities ?? null;
}

const EFFORTS: { value: Effort; label: string }[] = [
  { value: 'low', label: 'Low effort' },
  { value: 'medium', label: 'Medium effort' },
  { value: 'high', label: 'High effort' },
];

const DEFAULT_SEARCHES = 5;

function MaxSearches({ chat, max }: { chat: ChatView; max: number }) {
  const [value, setValue] = useState(String(max));
  // A new cap from the server (another tab, or this one's own) replaces what the box shows.
  const [shown, setShown] = useState(max);
  if (shown !== max) {
    setShown(max);
    setValue(String(max));
  }
  const commit = (typed: string) => {
    const n = Number(typed);
    if (!Number.isInteger(n) || n < 1 || n > MAX_SEARCHES_PER_REQUEST) return setValue(String(max));
    if (n !== max) void updateChat(chat.id, { web_search: { max_uses: n } });
  };
  return (
    <label class="feature">
      <span>Searches per reply, at most</span>
      <input
        type="number"
        class="max-searches"
        min={1}
        max={MAX_SEARCHES_PER_REQUEST}
        step={1}
        value={value}
        onInput={(e) => setValue(e.currentTarget.value)}
        // Kept when the person is done with it (preact/compat makes onChange fire at every keystroke).
        onBlur={(e) => commit(e.currentTarget.value)}
        onKeyDown={(e) => e.key === 'Enter' && commit(e.currentTarget.value)}
      />
    </label>
  );
}

export function FeatureControls({ chat }: { chat: ChatView }) {
  const model = chat.model ?? DEFAULT_MODEL;
  const name = models.value.find((m) => m.id === model)?.display_name ?? model;
  const caps = capabilitiesOf(model);
  const canThink = caps?.thinking ?? false;
  const always = caps?.thinking_always ?? false;
  const canSearch = caps?.web_search ?? false;
  const [effort, chooseEffort] = useChosen(chat.thinking?.effort ?? '');
  const [searching, chooseSearching] = useChosen(Boolean(chat.web_search));
  return (
    <div class="features" role="group" aria-label="Thinking and web search">
      <label class="feature">
        <span>Thinking</span>
        <select
          value={effort}
          // Once on, it can always be turned off, whatever the model.
          disabled={!canThink && !chat.thinking}
          aria-describedby={canThink && !always ? undefined : 'thinking-why'}
          onChange={(e) => {
            const picked = EFFORTS.find((x) => x.value === e.currentTarget.value)?.value;
            chooseEffort(picked ?? '', updateChat(chat.id, { thinking: picked ? { effort: picked } : null }));
          }}
        >
          {/* A model that always thinks is not asked to stop: "off" means its own default. */}
          <option value="">{always ? 'Model default' : 'Off'}</option>
          {EFFORTS.map((x) => (
            <option key={x.value} value={x.value}>
              {x.label}
            </option>
          ))}
        </select>
      </label>
      {(!canThink || always) && (
        <p id="thinking-why" class="feature-why">
          {always ? `${name} always thinks before it answers.` : `${name} does not offer extended thinking: choose another model to use it.`}
        </p>
      )}
      <label class="feature check">
        <input
          type="checkbox"
          checked={searching}
          disabled={!canSearch && !chat.web_search}
          aria-describedby={canSearch ? undefined : 'search-why'}
          onChange={(e) => {
            const on = e.currentTarget.checked;
            chooseSearching(on, updateChat(chat.id, { web_search: on ? { max_uses: DEFAULT_SEARCHES } : null }));
          }}
        />
        <span>Web search</span>
      </label>
      {chat.web_search && <MaxSearches chat={chat} max={chat.web_search.max_uses} />}
      {!canSearch && (
        <p id="search-why" class="feature-why">
          {name} cannot search the web: choose another model to use it.
        </p>
      )}
    </div>
  );
}
