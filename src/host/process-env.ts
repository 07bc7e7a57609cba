/**
 * What the host process's environment must hold from the start: glibc reads it once, before any
 * JavaScript runs, so every launcher (npm start, npm run demo, the Nix wrapper, the tests) sets it.
 *
 * glibc raises its mmap threshold to the size of the largest block freed so far (up to 32 MB).
 * After the component file (26 MB) and a few long branch frames (~1 MB) are freed, every frame
 * comes from heap arenas that fragment and are never handed back: the 50-client drill held
 * ~60 MB more that way. A fixed threshold keeps blocks over 128 KiB in their own mappings,
 * returned to the system when freed.
 */
export const HOST_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };
