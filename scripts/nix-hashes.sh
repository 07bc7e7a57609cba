#!/usr/bin/env bash
# Prints the node_modules hash Nix computes for this system, for flake.nix's nodeModulesHash.
# Needs a machine where Nix can fetch nixpkgs and npm packages (not the development machines here).
set -euo pipefail
cd "$(dirname "$0")/.."
system=$(nix eval --impure --raw --expr builtins.currentSystem)
out=$(nix build ".#packages.${system}.node-modules" --no-link 2>&1 || true)
got=$(printf '%s\n' "$out" | sed -n 's/.*got: *\(sha256-[A-Za-z0-9+/=]*\).*/\1/p' | tail -n 1)
if [ -z "$got" ]; then
  printf '%s\n' "$out" >&2
  echo "no hash mismatch reported: is the recorded hash already right?" >&2
  exit 1
fi
echo "${system} = \"${got}\";"
