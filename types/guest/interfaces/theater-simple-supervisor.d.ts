declare module 'theater:simple/supervisor' {
  export function spawn(manifest: string, initBytes: Uint8Array | undefined): string;
  export function resume(manifest: string, initState: Uint8Array | undefined): string;
  export function listChildren(): Array<string>;
  export function stopChild(childId: string): void;
  export function restartChild(childId: string): void;
  export function getChildState(childId: string): Uint8Array | undefined;
}
