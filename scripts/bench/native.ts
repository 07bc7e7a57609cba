/**
 * The core running natively in Node behind a plain WebSocket server: the baseline that the
 * component's round trip is compared with (same handler, same transport, no wasm, no worker).
 */
import { WebSocketServer } from 'ws';
import { NativeApp } from '../../tests/helpers/native-app.js';

export { NativeApp };

export async function startNativeServer(): Promise<{ url: string; token: string; close: () => Promise<void> }> {
  const app = new NativeApp();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  let next = 0;
  wss.on('connection', (ws) => {
    const id = String(++next);
    void app.connect(id, false);
    ws.on('message', async (data) => {
      ws.send(JSON.stringify(await app.command(id, String(data))));
      for (const frame of app.take(id)) ws.send(JSON.stringify(frame));
    });
  });
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `ws://127.0.0.1:${port}/ws`, token: app.settings.session_token, close: () => new Promise((r) => wss.close(() => r())) };
}
