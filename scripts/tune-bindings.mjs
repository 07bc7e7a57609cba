// componentize-js generates the JavaScript that moves every import's and export's arguments in and
// out of the component, and that JavaScript runs in StarlingMonkey's interpreter. Two of its habits
// cost on every host call, so the build rewrites them (docs/perf-notes.md, phase 7):
// - a string is measured character by character in JavaScript before it is encoded
//   (≈ 0.3 µs a character: a store call's store id and label, ≈ 100 characters, cost ≈ 30 µs);
// - every call builds two objects for a debug log that is off unless `process.env.JCO_DEBUG` is set,
//   which a component never has.
// Each rewrite must match what it replaces exactly; if componentize-js changes, the build fails
// rather than ship glue nobody checked. `UNTUNED_BINDINGS=1 node scripts/build.mjs` builds without
// the rewrite, to compare the two.

/**
 * Encoded in one native step into room for the worst case (3 bytes per UTF-16 unit): only the
 * bytes written are passed on, and the memory is the allocator's as before.
 */
const ENCODE_AT_ONCE = `function _utf8AllocateAndEncode(s, realloc, memory) {
  if (typeof s !== 'string') {
    throw new TypeError('expected a string, received [' + typeof s + ']');
  }
  if (s.length === 0) { return { ptr: 1, len: 0 }; }
  const room = s.length * 3;
  const ptr = realloc(0, 0, 1, room);
  const { read, written } = TEXT_ENCODER_UTF8.encodeInto(s, new Uint8Array(memory.buffer, ptr, room));
  if (read !== s.length) {
    throw new Error('failed to encode whole string');
  }
  return { ptr, len: written };
}
`;

const MEASURING_ENCODER = /function _utf8AllocateAndEncode\(s, realloc, memory\) \{\n[\s\S]*?\n  const res = \{ ptr, len, codepoints \};\n  return res;\n\}\n/;
const DEBUG_LOG_CALL = /\n[ \t]*_debugLog\([^;]*?\);/g;
const DEBUG_LOG_DEFINITION = 'const _debugLog = (...args) => {';

export function tuneBindings(js) {
  if (!MEASURING_ENCODER.test(js)) throw new Error('tune-bindings: componentize-js no longer generates the string encoder this build rewrites');
  if (!js.includes(DEBUG_LOG_DEFINITION)) throw new Error('tune-bindings: componentize-js no longer generates _debugLog');
  const tuned = js.replace(MEASURING_ENCODER, ENCODE_AT_ONCE).replace(DEBUG_LOG_CALL, '');
  if (/_utf8AllocateAndEncode[^\n]*\n[^\n]*codepoints/.test(tuned) || /\b_debugLog\(/.test(tuned)) throw new Error('tune-bindings: a rewrite left the old code behind');
  return tuned;
}
