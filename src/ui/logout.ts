/** Logging out, offered only on a page the server served behind a login (it says so in the page). */
import { notice } from './notices.js';

/** Read once: the server marks the page's session meta, and a page never changes sides. */
export const behindLogin = document.querySelector('meta[name="theater-chat-session"]')?.hasAttribute('data-login') === true;

/** Ends every session (the server's logout ends them all), then shows the login page. */
export async function logOut(): Promise<void> {
  let status: number;
  try {
    // The page's no-referrer policy would send `Origin: null`, which the Origin guard refuses.
    const res = await fetch('/logout', { method: 'POST', referrerPolicy: 'same-origin', redirect: 'manual' });
    status = res.type === 'opaqueredirect' ? 303 : res.status;
  } catch {
    notice.value = { text: 'Could not log out: the server cannot be reached.' };
    return;
  }
  // 401: the session had already ended (another tab logged out, or the key changed).
  if (status === 303 || status === 401) location.assign('/login');
  else notice.value = { text: `Could not log out (HTTP ${status}).` };
}
