/** One real host for the tests of a file or describe block: started before them, checked after. */
import { afterAll, beforeAll } from 'vitest';
import { expectNoFatal, startHost, type HostOptions, type RunningHost } from './host.js';

/** `suite.host` is set once the tests run; a test may replace it (a restart) and the new one is stopped. */
export function hostForTests(options?: () => HostOptions): { host: RunningHost } {
  const suite = {} as { host: RunningHost };
  beforeAll(async () => {
    suite.host = await startHost(options?.());
  });
  afterAll(async () => {
    if (!suite.host) return;
    // Stopped before the check: a failing check must not leave the host running.
    await suite.host.stop();
    expectNoFatal(suite.host);
  });
  return suite;
}
