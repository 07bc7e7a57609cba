/** What a chat scenario needs from whatever runs the app: natively or through the real host. */
export type Frame = Record<string, unknown> & { type: string };

export interface ChatDriver {
  /** Opens a connection under a name and presents the page's session token. */
  connect(name: string): Promise<void>;
  /** Sends a command; resolves with the sender's direct reply. */
  command(name: string, command: Record<string, unknown>): Promise<Frame>;
  /** Frames that reached this connection besides its replies, since the last look. */
  events(name: string): Promise<Frame[]>;
  http(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any }>;
  /** Stops and starts the app on the same store; connections must be opened again. */
  restart(): Promise<void>;
  close(): Promise<void>;
}
