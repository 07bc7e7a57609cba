/**
 * What a PDF says about itself, read without a PDF library: how many pages it has and whether it
 * is encrypted (the API takes neither encrypted PDFs nor more pages than its limit).
 *
 * The page count is an approximation, good enough to refuse before storing:
 * - Objects are found by scanning for `N G obj`, in the file and inside Flate-compressed object
 *   streams (PDF 1.5+, e.g. most LaTeX output, keeps page objects there). A later definition of
 *   the same object number replaces an earlier one, as an incremental update does.
 * - The answer is the root page tree's `/Count` (the largest `/Count` of a `/Type /Pages` node),
 *   which is what readers use; without one, the number of `/Type /Page` objects (not `/Pages`).
 * - Not handled: object streams under filters other than Flate or with predictors, page objects
 *   orphaned by an edit, a `/Count` given by reference, and damaged files. Then the count is
 *   undefined (or off) and the API itself has the last word.
 */
import { InflateError, inflateZlib } from './inflate.js';

export interface PdfFacts {
  pages?: number;
  encrypted: boolean;
}

/** All object streams of one file together may not inflate to more than this. */
const MAX_INFLATED = 64 * 1024 * 1024;
/** The end of a PDF name: white space, a delimiter, or the end of the text. */
const NAME_END = String.raw`(?=[\s/<>\[\]()%{}]|$)`;
const PAGE = new RegExp(String.raw`/Type\s*/Page${NAME_END}`);
const PAGES = new RegExp(String.raw`/Type\s*/Pages${NAME_END}`);
const COUNT = /\/Count\s+(\d+)(?!\s+\d+\s+R)/;
const OBJ_STM = new RegExp(String.raw`/Type\s*/ObjStm${NAME_END}`);

interface Node {
  page: boolean;
  count?: number;
}

const bytesOf = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const OBJ = bytesOf('obj');
const STREAM = bytesOf('stream');
const ENDSTREAM = bytesOf('endstream');
const ENDOBJ = bytesOf('endobj');
const ENCRYPT = bytesOf('/Encrypt');
/** How far past `obj` a dictionary may reach; the bulk of an object is its stream, skipped as bytes. */
const DICT_WINDOW = 256 * 1024;

/**
 * The file is searched as bytes: turning a 24 MB PDF into one string took seconds, while the
 * typed array's own indexOf skips stream data quickly. Only dictionaries become strings.
 */
function find(b: Uint8Array, pattern: Uint8Array, from: number, to = b.length): number {
  const view = b.subarray(from, to);
  for (let i = view.indexOf(pattern[0]!); i !== -1 && i + pattern.length <= view.length; i = view.indexOf(pattern[0]!, i + 1)) {
    let j = 1;
    while (j < pattern.length && view[i + j] === pattern[j]) j++;
    if (j === pattern.length) return from + i;
  }
  return -1;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  // apply takes any array-like, a typed array included; chunks keep the argument count small.
  for (let i = 0; i < bytes.length; i += 0x2000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x2000) as unknown as number[]);
  return s;
}

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

/** The object number of `N G obj` ending just before `at`, or undefined when `obj` is not such a header. */
function objectNumber(b: Uint8Array, at: number): number | undefined {
  let i = at - 1;
  const skip = (test: (c: number | undefined) => boolean) => {
    const from = i;
    while (i >= 0 && test(b[i])) i--;
    return from - i;
  };
  if (!skip(isSpace) || !skip(isDigit) || !skip(isSpace)) return undefined;
  const end = i + 1;
  if (!skip(isDigit) || (i >= 0 && !isSpace(b[i]) && !'<>[]()/%'.includes(String.fromCharCode(b[i]!)))) return undefined;
  return Number(latin1(b.subarray(i + 1, end)));
}

function classify(dict: string): Node | undefined {
  if (PAGES.test(dict)) {
    const m = COUNT.exec(dict);
    return { page: false, ...(m ? { count: Number(m[1]) } : {}) };
  }
  return PAGE.test(dict) ? { page: true } : undefined;
}

const intOf = (dict: string, key: string): number | undefined => {
  const m = new RegExp(String.raw`/${key}\s+(\d+)(?!\s+\d+\s+R)`).exec(dict);
  return m ? Number(m[1]) : undefined;
};

/** The objects inside one object stream, or none when it cannot be read. */
function streamObjects(data: Uint8Array, dict: string, budget: { left: number }): [number, string][] {
  const filter = /\/Filter\s*\[?\s*\/(\w+)\s*\]?/.exec(dict)?.[1];
  const n = intOf(dict, 'N');
  const first = intOf(dict, 'First');
  if (filter !== 'FlateDecode' || /\/Predictor/.test(dict) || n === undefined || first === undefined || budget.left <= 0) return [];
  let plain: string;
  try {
    const inflated = inflateZlib(data, budget.left);
    budget.left -= inflated.length;
    plain = latin1(inflated);
  } catch (e) {
    if (e instanceof InflateError) return [];
    throw e;
  }
  const header = plain.slice(0, first).trim().split(/\s+/).map(Number);
  const found: [number, string][] = [];
  for (let i = 0; i < n && 2 * i + 1 < header.length; i++) {
    const num = header[2 * i]!;
    const from = first + header[2 * i + 1]!;
    const to = 2 * i + 3 < header.length ? first + header[2 * i + 3]! : plain.length;
    if (Number.isFinite(num) && from <= to) found.push([num, plain.slice(from, to)]);
  }
  return found;
}

/** Where a stream's data ends: at /Length when it is given directly and fits, else at `endstream`. */
function streamEnd(b: Uint8Array, dict: string, start: number): number {
  const length = intOf(dict, 'Length');
  if (length !== undefined && start + length <= b.length) return start + length;
  const end = find(b, ENDSTREAM, start);
  return end === -1 ? b.length : end;
}

/** An `/Encrypt` key whose value is a reference (`5 0 R`) or a dictionary (`<<`), anywhere in the file. */
function isEncrypted(b: Uint8Array): boolean {
  for (let at = find(b, ENCRYPT, 0); at !== -1; at = find(b, ENCRYPT, at + 1)) {
    let i = at + ENCRYPT.length;
    while (isSpace(b[i])) i++;
    if (b[i] === 0x3c && b[i + 1] === 0x3c) return true;
    const start = i;
    while (isDigit(b[i])) i++;
    if (i === start || !isSpace(b[i])) continue;
    while (isSpace(b[i])) i++;
    if (!isDigit(b[i])) continue;
    while (isDigit(b[i])) i++;
    while (isSpace(b[i])) i++;
    if (b[i] === 0x52) return true; // R
  }
  return false;
}

export function readPdf(b: Uint8Array): PdfFacts {
  const nodes = new Map<number, Node | undefined>();
  const budget = { left: MAX_INFLATED };
  for (let k = find(b, OBJ, 0); k !== -1; k = find(b, OBJ, k + OBJ.length)) {
    const num = objectNumber(b, k);
    const at = k + OBJ.length;
    if (num === undefined || (at < b.length && !isSpace(b[at]) && !'<[/('.includes(String.fromCharCode(b[at]!)))) continue;
    // A dictionary ends before the next `obj` (which may be its own `endobj`): bounding every search
    // by it keeps the scan linear even for a file made of nothing but object headers.
    const next = find(b, OBJ, at, Math.min(b.length, at + DICT_WINDOW));
    const window = next === -1 ? Math.min(b.length, at + DICT_WINDOW) : next + OBJ.length;
    const endobj = find(b, ENDOBJ, at, window);
    const streamAt = find(b, STREAM, at, endobj === -1 ? window : endobj);
    const dict = latin1(b.subarray(at, streamAt !== -1 ? streamAt : endobj !== -1 ? endobj : window));
    nodes.set(num, classify(dict));
    if (streamAt === -1) continue;
    let start = streamAt + STREAM.length;
    if (b[start] === 0x0d) start++;
    if (b[start] === 0x0a) start++;
    const end = streamEnd(b, dict, start);
    if (OBJ_STM.test(dict)) for (const [n, body] of streamObjects(b.subarray(start, end), dict, budget)) nodes.set(n, classify(body));
    k = Math.max(k, end - OBJ.length); // the stream's bytes may spell "obj" by chance
  }
  let count: number | undefined;
  let pageObjects = 0;
  for (const node of nodes.values()) {
    if (node?.page) pageObjects++;
    if (node?.count !== undefined) count = Math.max(count ?? 0, node.count);
  }
  const pages = count ?? (pageObjects || undefined);
  return { ...(pages !== undefined ? { pages } : {}), encrypted: isEncrypted(b) };
}
