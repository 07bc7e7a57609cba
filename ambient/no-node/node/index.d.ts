/**
 * Stands in for @types/node in tsconfig.core.json and tsconfig.ui.json (their typeRoots). The
 * Claude SDK's types reach undici-types, whose `/// <reference types="node" />` would otherwise load
 * all of Node's globals into a layer that has none; `"types": []` does not stop such a reference.
 */
export {};
