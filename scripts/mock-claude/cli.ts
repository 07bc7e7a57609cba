/** `node dist/mock-claude.js [--port N]`: the mock Claude API on 127.0.0.1, for the demo and for poking at by hand. */
import { parseArgs } from 'node:util';
import { startMockClaude } from './server.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const mock = await startMockClaude({ port: Number(values.port) });
process.stdout.write(`mock Claude API on ${mock.url}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void mock.close().then(() => process.exit(0)));
