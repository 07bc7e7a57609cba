/** See tune-bindings.mjs. */
export function tuneBindings(js: string): string;
