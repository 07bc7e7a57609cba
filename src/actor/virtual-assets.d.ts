/** Generated at build time from dist/assets by scripts/build.mjs. */
declare module 'virtual:assets' {
  const assets: import('../core/assets.js').AssetTable;
  export default assets;
}
