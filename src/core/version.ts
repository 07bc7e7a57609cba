/** Kept equal to package.json's version by tests/unit/version.test.ts. */
export const APP_VERSION = '0.1.0';
