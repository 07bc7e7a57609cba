/** A choice sent to the server, shown as chosen until the server has answered. */
import { useRef, useState } from 'preact/hooks';

/**
 * What the person just chose, shown until the server has answered: any re-render before then (a
 * frame about this chat, another chat's news) would put the stored value back under their pointer.
 * The answer updates the chat before its promise settles (connection.ts), so nothing flickers.
 */
export function useChosen<T>(stored: T): [T, (value: T, saved: Promise<unknown>) => void] {
  const [chosen, setChosen] = useState<{ value: T } | null>(null);
  // Two quick changes: the first answer must not put the stored value back while the second is out.
  const latest = useRef(0);
  const choose = (value: T, saved: Promise<unknown>) => {
    const mine = ++latest.current;
    setChosen({ value });
    void saved.finally(() => mine === latest.current && setChosen(null));
  };
  return [chosen ? chosen.value : stored, choose];
}
