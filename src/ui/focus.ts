import { useEffect, useRef } from 'preact/hooks';

/** Focuses the element when it appears: the autofocus attribute only works on page load. */
export function useAutoFocus<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
    if (ref.current instanceof HTMLInputElement || ref.current instanceof HTMLTextAreaElement) ref.current.select?.();
  }, []);
  return ref;
}
