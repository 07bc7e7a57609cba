/**
 * The socket to the actor: hello with the page's token, replies matched by request_id, events to a
 * listener, and automatic reconnection (with a fresh token if the server restarted, or to the login
 * page when the server ended the session).
 */
import { signal } from '@preact/signals';
import { parseFrame, type Command, type Frame } from './protocol.js';

export type Status = 'connecting' | 'connected' | 'reconnecting';

function pageToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="theater-chat-session"]')?.content ?? '';
}

/**
 * After a server restart the token changed: read it from a fresh copy of the page. Undefined when
 * the page is refused (401): served behind a login, the session ended (logout, or a new access key).
 */
async function freshToken(): Promise<string | undefined> {
  const res = await fetch('/', { cache: 'no-store' });
  if (res.status === 401) return undefined;
  return /name="theater-chat-session" content="([0-9a-f]+)"/.exec(await res.text())?.[1] ?? '';
}

/** Only logging in again can help; the login page's URL holds nothing of this page's. */
const sessionEnded = (): void => location.replace('/login');

const NOT_CONNECTED: Frame = { type: 'error', code: 'internal', message: 'not connected' };

export class Connection {
  readonly status = signal<Status>('connecting');
  /** Seconds until the next reconnection attempt, while reconnecting. */
  readonly retryIn = signal(0);
  private socket?: WebSocket;
  private pending = new Map<string, (frame: Frame) => void>();
  private next = 0;
  private backoff = 500;
  private token = pageToken();
  private timer?: ReturnType<typeof setTimeout>;
  private welcomed = false;
  /** Waiting for the connection being made (a click as the page loads): told whether it came up. */
  private waiting: ((up: boolean) => void)[] = [];

  constructor(
    private readonly onEvent: (frame: Frame) => void,
    private readonly onWelcome: (frame: Extract<Frame, { type: 'welcome' }>) => void,
  ) {}

  start(): void {
    const url = new URL('/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    // A socket given up for a newer one (Reconnect now) no longer speaks for this page.
    const current = () => socket === this.socket;
    socket.addEventListener('open', () => current() && void this.hello(socket));
    socket.addEventListener('message', (event) => current() && this.receive(event.data as string | ArrayBuffer));
    socket.addEventListener('close', () => current() && this.lost());
  }

  /** Reconnect now instead of waiting for the back-off. */
  reconnectNow(): void {
    clearTimeout(this.timer);
    this.retryIn.value = 0;
    const old = this.socket;
    this.socket = undefined;
    old?.close();
    this.welcomed = false;
    this.dropPending();
    this.start();
  }

  /**
   * Whether the page is connected, once the attempt under way (if any) has come up or failed:
   * what a person asks for as the page loads is done then, instead of failing with "not connected".
   */
  ready(): Promise<boolean> {
    if (this.welcomed) return Promise.resolve(true);
    const attempt = this.socket !== undefined && this.socket.readyState <= WebSocket.OPEN;
    return attempt ? new Promise((resolve) => this.waiting.push(resolve)) : Promise.resolve(false);
  }

  private async hello(socket: WebSocket): Promise<void> {
    let welcome: Frame;
    try {
      welcome = await this.send(socket, { type: 'hello', token: this.token });
      if (welcome.type === 'error' && welcome.code === 'unauthorized') {
        const token = await freshToken();
        if (token === undefined) return sessionEnded();
        this.token = token;
        welcome = await this.send(socket, { type: 'hello', token: this.token });
      }
      if (welcome.type !== 'welcome') throw new Error(welcome.type === 'error' ? welcome.message : 'no welcome');
      this.backoff = 500;
      this.status.value = 'connected';
      this.welcomed = true;
    } catch {
      // A socket that said no welcome is of no use: closing it reconnects after the back-off.
      socket.close();
      return;
    }
    try {
      // The chat the page was on is asked for first; what was asked meanwhile goes after it, and wins.
      this.onWelcome(welcome);
    } finally {
      this.settleWaiting(true);
    }
  }

  private settleWaiting(up: boolean): void {
    for (const settle of this.waiting.splice(0)) settle(up);
  }

  private receive(data: string | ArrayBuffer): void {
    // Large frames arrive as binary frames holding UTF-8 JSON.
    const frame = parseFrame(typeof data === 'string' ? data : new TextDecoder().decode(data));
    if (!frame) return;
    // Unasked for, it says the server ended this page's session (logout anywhere, or a new key).
    if (frame.type === 'error' && frame.code === 'unauthorized' && !frame.request_id) return sessionEnded();
    const waiter = frame.request_id ? this.pending.get(frame.request_id) : undefined;
    if (waiter && frame.request_id) {
      this.pending.delete(frame.request_id);
      waiter(frame);
      // A reply is also news for this tab (e.g. message_added): apply it like any event.
      if (frame.type !== 'error' && frame.type !== 'welcome') this.onEvent(frame);
    } else this.onEvent(frame);
  }

  /** Asked on a socket that is gone: no answer will come. */
  private dropPending(): void {
    for (const resolve of this.pending.values()) resolve({ type: 'error', code: 'internal', message: 'connection lost' });
    this.pending.clear();
  }

  private lost(): void {
    this.welcomed = false;
    this.dropPending();
    this.settleWaiting(false);
    this.status.value = 'reconnecting';
    const wait = this.backoff;
    this.backoff = Math.min(this.backoff * 2, 8000);
    this.retryIn.value = Math.ceil(wait / 1000);
    this.timer = setTimeout(() => this.start(), wait);
  }

  /** Sent once the connection is up (waiting for an attempt under way), else "not connected". */
  async request(command: Command): Promise<Frame> {
    if (!(await this.ready()) || !this.socket) return NOT_CONNECTED;
    return this.send(this.socket, command);
  }

  private send(socket: WebSocket, command: Command): Promise<Frame> {
    if (socket.readyState !== WebSocket.OPEN) return Promise.resolve(NOT_CONNECTED);
    const request_id = `u${++this.next}`;
    return new Promise((resolve) => {
      this.pending.set(request_id, resolve);
      socket.send(JSON.stringify({ ...command, request_id }));
    });
  }
}
