/** @module Interface theater:simple/runtime **/
export function log(msg: string): void;
export function shutdown(data: Uint8Array | undefined): void;
