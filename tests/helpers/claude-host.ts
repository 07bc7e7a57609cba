/**
 * What a test file that talks to Claude sets up: one mock Claude and one host that calls it, for all
 * of the file's tests. Afterwards held requests are let go and the host is stopped before any check,
 * so that a failing check leaves no process behind; then the host is checked for fatal errors and
 * for the API key in its log.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { startMockClaude, type MockClaude } from '../../scripts/mock-claude/server.js';
import { expectNoFatal, startHost, type RunningHost } from './host.js';
import { TEST_API_KEY } from './secrets.js';
import type { Frame } from '../scenarios/driver.js';

export interface ClaudeHost {
  mock: MockClaude;
  host: RunningHost;
}

export function claudeHost(): ClaudeHost {
  const suite = {} as ClaudeHost;
  beforeAll(async () => {
    suite.mock = await startMockClaude();
    suite.host = await startHost({ env: { ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: suite.mock.url } });
  });
  afterAll(async () => {
    suite.mock?.release();
    await suite.host?.stop();
    await suite.mock?.close();
    if (!suite.host) return;
    expectNoFatal(suite.host);
    expect(suite.host.log()).not.toContain(TEST_API_KEY);
  });
  return suite;
}

/** The frame that ends a generation, whichever way it ended. */
export const isGenerationEnd = (f: Frame): boolean => f.type === 'generation_finished' || f.type === 'generation_failed';
