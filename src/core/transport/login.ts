/**
 * The door in front of everything when bound beyond loopback: the login page (self-contained, the
 * one thing served without a session), logging in with the access key, and logging out.
 */
import { z } from 'zod';
import { AppError } from '../errors.js';
import { SECURITY_HEADERS, type CoreRequest, type CoreResponse } from '../http.js';
import type { Ports } from '../ports.js';
import type { Settings } from '../settings.js';
import { isLoopback } from './guards.js';
import { clearCookie, cookieIsValid, endAllSessions, keyMatches, openSession, sessionCookie, setCookie } from './sessions.js';

export interface AccessDeps {
  ports: Ports;
  settings: Settings;
  /** The access key, read from the host at call time and never kept (absent: none configured). */
  accessKey?: () => string | undefined;
}

export const needsLogin = (settings: Settings): boolean => !isLoopback(settings.bind_host);

/** The access key as configured now, trimmed; undefined when none is. */
export const accessKeyOf = (d: Pick<AccessDeps, 'accessKey'>): string | undefined => d.accessKey?.()?.trim() || undefined;

function configuredKey(d: AccessDeps): string {
  const key = accessKeyOf(d);
  if (!key) throw new AppError('unauthorized', 'this server has no access key: set THEATER_CHAT_ACCESS_KEY or write access-key.txt (README, "Serving on a network")');
  return key;
}

/** The session's secret, null when no login is needed (loopback), undefined without a valid session. */
export async function sessionOf(d: AccessDeps, req: CoreRequest): Promise<string | null | undefined> {
  if (!needsLogin(d.settings)) return null;
  const secret = sessionCookie(req.headers.get('cookie'));
  const key = accessKeyOf(d);
  if (!secret || !key) return undefined;
  return (await cookieIsValid(d.ports, key, secret)) ? secret : undefined;
}

export async function requireSession(d: AccessDeps, req: CoreRequest): Promise<void> {
  if ((await sessionOf(d, req)) === undefined) throw new AppError('unauthorized', 'log in first: open /login');
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function loginPage(status: number, problem?: string): CoreResponse {
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>theater-chat: log in</title>
<style>body{font:16px system-ui,sans-serif;max-width:26rem;margin:15vh auto;padding:0 1rem}input,button{font:inherit;padding:.4rem;width:100%;box-sizing:border-box;margin:.3rem 0}p.problem{color:#b00}</style>
<h1>theater-chat</h1><p>This chat is served on a network: log in with its access key.</p>
${problem ? `<p class="problem" role="alert">${escape(problem)}</p>` : ''}
<form method="post" action="/login"><label>Access key <input name="key" type="password" autocomplete="current-password" required autofocus></label><button>Log in</button></form></html>`;
  return {
    status,
    headers: [
      ['content-type', 'text/html; charset=utf-8'],
      ['cache-control', 'no-store'],
      ['content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"],
      // Under no-referrer Chromium sends `Origin: null` with the form, which the Origin guard refuses.
      ...SECURITY_HEADERS.map(([k, v]): [string, string] => (k === 'referrer-policy' ? [k, 'same-origin'] : [k, v])),
    ],
    body: new TextEncoder().encode(html),
  };
}

const redirect = (to: string, cookie?: string): CoreResponse => ({
  status: 303,
  headers: [['location', to], ['cache-control', 'no-store'], ...(cookie ? ([['set-cookie', cookie]] as [string, string][]) : []), ...SECURITY_HEADERS],
});

const LoginForm = z.object({ key: z.string().min(1).max(512) });

/** GET /login?key=… (the printed URL) or POST /login with the form: the cookie, then `/` without the key. */
export async function logIn(d: AccessDeps, req: CoreRequest): Promise<CoreResponse> {
  if (!needsLogin(d.settings)) return redirect('/');
  let given: string | undefined;
  if (req.method === 'POST') {
    const fields = new URLSearchParams(new TextDecoder().decode(req.body ?? new Uint8Array()));
    const form = LoginForm.safeParse({ key: fields.get('key') ?? undefined });
    given = form.success ? form.data.key : undefined;
  } else {
    const key = req.query.get('key');
    if (key === null) return (await sessionOf(d, req)) ? redirect('/') : loginPage(200);
    given = LoginForm.shape.key.safeParse(key).data;
  }
  const key = configuredKey(d);
  if (given === undefined || !(await keyMatches(given, key))) return loginPage(401, 'That is not the access key.');
  return redirect('/', setCookie(await openSession(d.ports, key), d.settings.tls));
}

/** POST /logout: every session ends, in every browser (open WebSockets too: app.ts). */
export async function logOut(d: AccessDeps, req: CoreRequest): Promise<CoreResponse> {
  await requireSession(d, req);
  endAllSessions(d.ports);
  return redirect('/login', clearCookie(d.settings.tls));
}
