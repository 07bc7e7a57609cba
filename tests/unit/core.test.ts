import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFrame } from '../../src/core/protocol.js';
import { parseInitConfig } from '../../src/core/config.js';
import { onSocketText, startup, type Context } from '../../src/core/app.js';
import { APP_VERSION } from '../../src/core/version.js';
import { memoryPorts } from '../helpers/memory-ports.js';
import { ROOT } from '../helpers/host.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('WebSocket frames', () => {
  it('parses ping and keeps the request id', () => {
    expect(parseFrame('{"type":"ping","request_id":"r1"}')).toEqual({ requestId: 'r1', command: { type: 'ping', request_id: 'r1' } });
  });

  it('names the problem for bad frames', () => {
    expect(parseFrame('{').error?.code).toBe('invalid_json');
    expect(parseFrame('[]').error?.message).toMatch(/JSON object/);
    expect(parseFrame('{"type":7}').error?.message).toMatch(/string "type"/);
    expect(parseFrame('{"type":"launch","request_id":"x"}')).toMatchObject({ requestId: 'x', error: { code: 'unknown_command' } });
    expect(parseFrame('{"type":"ping","request_id":1}').error?.message).toMatch(/request_id/);
    expect(parseFrame('{"type":"__proto__"}').error?.code).toBe('unknown_command');
  });
});

describe('init config', () => {
  it('defaults to 127.0.0.1:8084 and a fixed store', () => {
    expect(parseInitConfig(undefined).config).toEqual({ host: '127.0.0.1', port: 8084, store_id: 'theater-chat' });
  });

  it('falls back to defaults with a reason instead of failing', () => {
    const bad = parseInitConfig(enc('{"port":"eighty"}'));
    expect(bad.config.port).toBe(8084);
    expect(bad.problem).toMatch(/port/);
    expect(parseInitConfig(enc('not json')).problem).toMatch(/JSON/);
  });
});

describe('core socket handling', () => {
  it('answers ping with pong to the sender only', () => {
    const ports = memoryPorts();
    const ctx: Context = { ports, state: startup(ports, 's'), assets: {} };
    const result = onSocketText(ctx, '7', '{"type":"ping","request_id":"a"}');
    expect(result.outbound).toEqual([{ connection: '7', frame: { type: 'pong', protocol: 1, request_id: 'a' } }]);
    expect(result.state).toBe(ctx.state);
  });

  it('reopens an existing store without writing again', () => {
    const ports = memoryPorts();
    startup(ports, 's');
    const writes = ports.writes();
    startup(ports, 's');
    expect(ports.writes()).toBe(writes);
  });
});

describe('version', () => {
  it('matches package.json', () => {
    expect(APP_VERSION).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});
