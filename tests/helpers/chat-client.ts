/** A WebSocket client of the real host that speaks the chat protocol: hello first, replies by request_id. */
import WebSocket from 'ws';
import type { Frame } from '../scenarios/driver.js';
import { Reply } from '../../src/core/protocol/frames.js';

export async function sessionToken(baseUrl: string): Promise<string> {
  const html = await (await fetch(`${baseUrl}/`)).text();
  const m = /name="theater-chat-session" content="([0-9a-f]+)"/.exec(html);
  if (!m) throw new Error('the page carries no session token');
  return m[1]!;
}

export class ChatClient {
  private pending = new Map<string, (f: Frame) => void>();
  private closed = false;
  private others: Frame[] = [];
  private next = 0;
  private violation: string | undefined;
  /**
   * The actor has no clock and moves only when called: a reply waiting for a generator that is
   * still starting is handed over at its next call. The page pings while a reply is under way;
   * this client, standing in for it, pings all the time.
   */
  private readonly nudge = setInterval(() => void this.command({ type: 'ping' }).catch(() => undefined), 1000).unref();

  private constructor(readonly ws: WebSocket) {
    // A dead socket answers every open question with an error, so no caller waits forever.
    ws.on('close', () => {
      this.closed = true;
      clearInterval(this.nudge);
      for (const resolve of this.pending.values()) resolve({ type: 'error', code: 'internal', message: 'connection closed' } as Frame);
      this.pending.clear();
    });
    ws.on('error', () => undefined);
    ws.on('message', (data, isBinary) => {
      // Large frames arrive as binary frames holding UTF-8 JSON (docs/protocol.md).
      const frame = JSON.parse(isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data)) as Frame;
      // Checked as the UI checks it: a frame outside the protocol fails the next look at this client.
      const parsed = Reply.safeParse(frame);
      if (!parsed.success) this.violation ??= `the actor sent a frame outside the protocol: ${JSON.stringify(parsed.error.issues[0])} in ${JSON.stringify(frame).slice(0, 300)}`;
      const id = typeof frame.request_id === 'string' ? frame.request_id : undefined;
      const waiter = id ? this.pending.get(id) : undefined;
      if (waiter && id) {
        this.pending.delete(id);
        waiter(frame);
      } else this.others.push(frame);
    });
  }

  static async open(baseUrl: string, token?: string): Promise<ChatClient> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const client = new ChatClient(ws);
    const welcome = await client.command({ type: 'hello', token: token ?? (await sessionToken(baseUrl)) });
    if (welcome.type !== 'welcome') throw new Error(`hello refused: ${JSON.stringify(welcome)}`);
    return client;
  }

  /**
   * The limit only bounds how long a hung actor takes to be reported. A command can wait behind a
   * channel opened to a generator that is still compiling: > 15 s was seen with both cores busy.
   */
  command(command: Record<string, unknown>, timeoutMs = 60_000): Promise<Frame> {
    const given = typeof command.request_id === 'string' ? command.request_id : undefined;
    const requestId = given ?? `r${++this.next}`;
    if (this.closed) return Promise.resolve({ type: 'error', code: 'internal', message: 'connection closed' } as Frame);
    if (this.violation) return Promise.reject(new Error(this.violation));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${String(command.type)} in ${timeoutMs} ms`)), timeoutMs);
      this.pending.set(requestId, (f) => {
        clearTimeout(timer);
        if (given) return resolve(f);
        const { request_id: _r, ...rest } = f;
        resolve(rest as Frame);
      });
      this.ws.send(JSON.stringify({ ...command, request_id: requestId }));
    });
  }

  /** Everything that arrived besides replies; a ping first makes sure earlier frames are in. */
  async events(): Promise<Frame[]> {
    await this.command({ type: 'ping' });
    if (this.violation) throw new Error(this.violation);
    const frames = this.others;
    this.others = [];
    return frames;
  }

  /**
   * Collects events until one matches (a generation now ends in a later call, from a child actor).
   * The default allows a whole generation on a machine whose cores are busy with other work.
   */
  async until(match: (f: Frame) => boolean, timeoutMs = 60_000): Promise<Frame[]> {
    const collected: Frame[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const batch = await this.events();
      collected.push(...batch);
      if (batch.some(match)) return collected;
      if (Date.now() > deadline) throw new Error(`no matching frame in ${timeoutMs} ms; got ${collected.map((f) => f.type).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
