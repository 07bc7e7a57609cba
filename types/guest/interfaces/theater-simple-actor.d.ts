declare module 'theater:simple/actor' {
  export function init(state: Uint8Array | undefined): [Uint8Array | undefined];
}
