/**
 * The core running natively in Node behind a plain WebSocket server: the baseline that the
 * component's round trip is compared with (same handler, same transport, no wasm, no worker).
 */
import { WebSocketServer } from 'ws';
import { onSocketText, startup, type Context } from '../../src/core/app.js';
import { memoryPorts } from '../../tests/helpers/memory-ports.js';

export async function startNativeServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const ports = memoryPorts();
  const ctx: Context = { ports, state: startup(ports, 'bench'), assets: {} };
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  let next = 0;
  wss.on('connection', (ws) => {
    const id = String(++next);
    ws.on('message', (data) => {
      const result = onSocketText(ctx, id, String(data));
      ctx.state = result.state;
      for (const { frame } of result.outbound) ws.send(JSON.stringify(frame));
    });
  });
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `ws://127.0.0.1:${port}/ws`, close: () => new Promise((r) => wss.close(() => r())) };
}
