/**
 * The page: index.html with this start's session token written in, and a `data-login` mark when it
 * was served behind a login (the page then offers to log out: the server decides, the page reads).
 * It is revalidated on every load and answered with an empty 304 while the token and the build are
 * unchanged, because on Theater c50 every byte of a response body costs about 11 bytes in the
 * actor's event chain (theater-c50.md §14), and a warm browser asks for nothing else.
 */
import { sha256 } from 'multiformats/hashes/sha2';
import { base32 } from 'multiformats/bases/base32';
import { serveAsset, type AssetTable } from '../assets.js';
import type { CoreRequest, CoreResponse } from '../http.js';

const SESSION_PLACEHOLDER = '%SESSION%';
const LOGIN_PLACEHOLDER = '%LOGIN%';

interface Page {
  token: string;
  login: boolean;
  body: Uint8Array;
  headers: [string, string][];
  etag: string;
}

/** The page of the last token asked for: one per start, so one entry is enough. */
let cached: Page | undefined;

async function pageFor(assets: AssetTable, token: string, login: boolean): Promise<Page> {
  if (cached?.token === token && cached.login === login) return cached;
  const page = serveAsset(assets, 'index.html');
  const html = new TextDecoder().decode(page.body).replace(SESSION_PLACEHOLDER, token).replace(LOGIN_PLACEHOLDER, login ? ' data-login' : '');
  const body = new TextEncoder().encode(html);
  // The tag names the page's bytes; the token inside it changes at every start, so it is not guessable.
  const etag = `"${base32.baseEncode((await sha256.digest(body)).digest.subarray(0, 12))}"`;
  // `private`: the token is for this browser only, never for a shared cache.
  const headers = page.headers.map(([k, v]): [string, string] => (k === 'cache-control' ? [k, 'private, no-cache'] : [k, v]));
  cached = { token, login, body, headers: [...headers, ['etag', etag]], etag };
  return cached;
}

/** RFC 9110 §13.1.2: a list of tags (weak comparison), or `*`. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

export async function servePage(assets: AssetTable, token: string, login: boolean, req: CoreRequest): Promise<CoreResponse> {
  const page = await pageFor(assets, token, login);
  if (matches(req.headers.get('if-none-match'), page.etag)) {
    return { status: 304, headers: [['etag', page.etag], ['cache-control', 'private, no-cache']] };
  }
  return { status: 200, headers: page.headers, body: page.body };
}
