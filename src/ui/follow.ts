/** Scrolling the branch: the view follows the newest message until the reader scrolls away, and brings a search result into view. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { MessageView } from './protocol.js';
import { reveal } from './chats.js';
import { interactions } from './focus.js';

/** Within this many pixels of the bottom the reader is following the chat: new messages keep it in view. */
const NEAR_BOTTOM_PX = 80;

export type Follow = ReturnType<typeof useFollow>;

/** `list` is the branch shown, `replyParent` where a reply is being written (it moves the bottom). */
export function useFollow(list: MessageView[], chatId: string | undefined, replyParent: string | null | undefined) {
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  // Whether the view follows the newest message. A ref, not state: the resize observer reads it
  // between renders. `away` only drives the ↓ Latest button.
  const pinned = useRef(true);
  const [away, setAway] = useState(false);
  const toBottom = () => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    pinned.current = true;
    setAway(false);
  };
  // Every chat opens at its newest message.
  useLayoutEffect(() => {
    pinned.current = true;
    setAway(false);
  }, [chatId]);
  useLayoutEffect(() => {
    if (reveal.value) return;
    if (pinned.current) toBottom();
    else if (list.length > 0) setAway(true);
  }, [list.at(-1)?.id, list.length, replyParent]);
  // Heights settle after the first layout (Markdown rendered as it comes near, code, images): a
  // view that follows the chat stays at the bottom through all of it.
  useEffect(() => {
    const el = scroller.current;
    const inner = content.current;
    if (!el || !inner) return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(inner);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    const wanted = reveal.value;
    if (!wanted || !list.some((m) => m.id === wanted.id)) return;
    const el = scroller.current?.querySelector<HTMLElement>(`[data-id="${wanted.id}"]`);
    if (el) {
      el.scrollIntoView({ block: 'center' });
      // Decided here, not at the next scroll event: a resize before it must not pull the view away.
      const box = scroller.current!;
      pinned.current = box.scrollHeight - box.scrollTop - box.clientHeight <= NEAR_BOTTOM_PX;
      setAway(!pinned.current);
      el.classList.add('revealed');
      // Not if the person has acted since asking (the branch can take a while): the focus stays where they put it.
      if (interactions() === wanted.asked) el.focus({ preventScroll: true });
      setTimeout(() => el.classList.remove('revealed'), 2000);
    }
    reveal.value = null;
  }, [list, reveal.value]);
  const onScroll = (e: { currentTarget: HTMLDivElement }) => {
    const el = e.currentTarget;
    const near = el.scrollHeight - el.scrollTop - el.clientHeight <= NEAR_BOTTOM_PX;
    pinned.current = near;
    if (near === away) setAway(!near);
  };
  return { scroller, content, away, toBottom, onScroll };
}
