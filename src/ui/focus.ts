import { useLayoutEffect, useRef } from 'preact/hooks';
import { messages } from './chats.js';

/**
 * Focuses the element when it appears: the autofocus attribute only works on page load. As it is
 * rendered, not after the paint: a key pressed in between would go to nothing.
 */
export function useAutoFocus<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useLayoutEffect(() => {
    ref.current?.focus();
    if (ref.current instanceof HTMLInputElement || ref.current instanceof HTMLTextAreaElement) ref.current.select?.();
  }, []);
  return ref;
}

let pressed = 0;
for (const type of ['pointerdown', 'keydown'] as const) document.addEventListener(type, () => pressed++, { capture: true });

/**
 * How many times the person has pressed a key or a pointer so far. Something that arrives after
 * they acted again (a reply from the server) must not take the focus from where they put it.
 */
export const interactions = (): number => pressed;

/** Nothing has the focus: the element that had it was re-rendered or removed. */
const focusLost = () => !document.activeElement || document.activeElement === document.body || !document.activeElement.isConnected;

/**
 * Once the change has been rendered (a frame later: Preact queues its renders), puts the focus on
 * what `find` names, unless the person has put it somewhere meanwhile.
 */
export function restoreFocus(find: () => HTMLElement | null | undefined): void {
  requestAnimationFrame(() => {
    if (!focusLost()) return;
    find()?.focus({ preventScroll: true });
  });
}

const nameOf = (el: Element) => el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '';

/** The control named `name` on the message now at `index` of the branch, or that message itself. */
export function controlAt(index: number, name: string | null): HTMLElement | null {
  const id = messages.value[index]?.id;
  const article = id ? document.querySelector<HTMLElement>(`.messages [data-id="${id}"]`) : null;
  if (!article) return null;
  return [...article.querySelectorAll<HTMLElement>('button, a[href]')].find((b) => nameOf(b) === name) ?? article;
}

/**
 * Runs an action that replaces messages (a version switch): the focus goes to the same control
 * on the message that took the place of the one that had it.
 */
export async function keepFocus(action: () => Promise<void>): Promise<void> {
  const el = document.activeElement;
  const id = el?.closest<HTMLElement>('.messages [data-id]')?.dataset.id;
  const index = id ? messages.value.findIndex((m) => m.id === id) : -1;
  const name = el ? nameOf(el) : null;
  await action();
  if (index >= 0) restoreFocus(() => controlAt(index, name));
}

/** The element that has the focus now, to give it back later. */
export function opener(): HTMLElement | null {
  const el = document.activeElement;
  return el instanceof HTMLElement && el !== document.body ? el : null;
}
