{
  description = "theater-chat: a Claude chat app that runs as a WebAssembly actor on Theater (c50b1871) or on its own Node host";

  inputs = {
    # nixos-25.05 as of 2025-07-29, by revision: a branch name would build against whatever it is today.
    nixpkgs.url = "github:NixOS/nixpkgs/1f08a4df998e21f4e8be8fb6fbf61d11a1a5076a";
    # The last Theater that runs Component Model components (see README: Running on Theater).
    theater-src = {
      url = "github:colinrozzi/theater/c50b18716041172d3396fd3b3a0a1ec489ec5a92";
      flake = false;
    };
  };

  outputs = { self, nixpkgs, theater-src }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
      # Recorded by scripts/nix-hashes.sh where the network is open (node_modules hold per-platform
      # binaries, so each system has its own). Not computable on the development machines, which
      # reach only the npm registry: see README "Nix".
      nodeModulesHash = {
        x86_64-linux = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        aarch64-linux = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        x86_64-darwin = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        aarch64-darwin = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
      };
    in
    {
      packages = forAllSystems (pkgs:
        let
          nodejs = pkgs.nodejs_20;
          lockOnly = pkgs.lib.fileset.toSource {
            root = ./.;
            fileset = pkgs.lib.fileset.unions [ ./package.json ./package-lock.json ];
          };

          # The lock files here carry no `resolved` URLs (and may name no registry host), so the usual
          # fetchers (fetchNpmDeps, importNpmLock) cannot read them. npm itself can: it runs inside this
          # fixed-output derivation, the only place with network, and its result is pinned by hash.
          node-modules = pkgs.stdenvNoCC.mkDerivation {
            pname = "theater-chat-node-modules";
            version = "0.1.0";
            src = lockOnly;
            nativeBuildInputs = [ nodejs pkgs.cacert ];
            dontConfigure = true;
            buildPhase = ''
              runHook preBuild
              export HOME=$TMPDIR npm_config_cache=$TMPDIR/npm-cache
              npm ci --ignore-scripts --no-audit --no-fund
              # npm's own bookkeeping holds paths and times: drop it so the output is reproducible.
              rm -rf node_modules/.cache node_modules/.package-lock.json
              runHook postBuild
            '';
            installPhase = ''
              runHook preInstall
              cp -r node_modules $out
              runHook postInstall
            '';
            dontFixup = true;
            outputHashMode = "recursive";
            outputHashAlgo = "sha256";
            outputHash = nodeModulesHash.${pkgs.stdenv.hostPlatform.system};
          };

          theater-chat = pkgs.buildNpmPackage {
            pname = "theater-chat";
            version = "0.1.0";
            src = pkgs.lib.fileset.toSource {
              root = ./.;
              fileset = pkgs.lib.fileset.unions [
                ./package.json ./package-lock.json ./tsconfig.json ./actor.toml ./generator.toml
                ./assets/init.json ./bin ./scripts ./src ./wit ./types
              ];
            };
            inherit nodejs;
            npmDeps = node-modules;
            # npmDeps is a ready node_modules, not an npm cache: link it instead of `npm ci`.
            npmConfigHook = pkgs.makeSetupHook { name = "theater-chat-node-modules"; } (pkgs.writeShellScript "link-node-modules" ''
              npmConfigHook() {
                cp -r "$npmDeps" node_modules
                chmod -R u+w node_modules
                patchShebangs node_modules
              }
              postPatchHooks+=(npmConfigHook)
            '');
            npmBuildScript = "build";
            dontNpmInstall = true;
            installPhase = ''
              runHook preInstall
              mkdir -p $out/lib $out/assets $out/libexec/theater-chat $out/bin
              # Every component and the manifest that names it: the chat actor spawns generators
              # from generator.toml, found beside actor.toml.
              cp dist/chat.wasm dist/generator.wasm $out/lib/
              # The transpiled components, so the first start needs no jco run.
              cp -r dist/.jco-cache $out/lib/.jco-cache
              cp assets/init.json $out/assets/init.json
              sed 's#^component = .*#component = "lib/chat.wasm"#' actor.toml > $out/actor.toml
              sed 's#^component = .*#component = "lib/generator.wasm"#' generator.toml > $out/generator.toml
              cp -r dist bin package.json node_modules $out/libexec/theater-chat/
              cat > $out/bin/theater-chat <<SH
              #!${pkgs.runtimeShell}
              # The package is read-only: keep the store where the user can write.
              export THEATER_HOME="\''${THEATER_HOME:-\''${XDG_DATA_HOME:-\$HOME/.local/share}/theater-chat}"
              # src/host/process-env.ts: glibc must see this before the process starts.
              export MALLOC_MMAP_THRESHOLD_=131072
              if [ "\$#" -eq 0 ]; then set -- run "$out/actor.toml"; fi
              exec ${nodejs}/bin/node "$out/libexec/theater-chat/bin/theater-chat.js" "\$@"
              SH
              chmod +x $out/bin/theater-chat
              runHook postInstall
            '';
            meta = {
              description = "Claude chat with branching conversations, as a Theater actor";
              mainProgram = "theater-chat";
            };
          };

          # Theater itself at c50b1871, from its own Cargo.lock (wasmtime 31 needs rustc >= 1.83).
          # The fetched source keeps its .wit and .md files: handler crates read WIT at build time.
          theater = pkgs.rustPlatform.buildRustPackage {
            pname = "theater";
            version = "0.2.1-c50b1871";
            src = theater-src;
            cargoLock.lockFile = "${theater-src}/Cargo.lock";
            cargoBuildFlags = [ "-p" "theater-cli" "-p" "theater-server-cli" ];
            nativeBuildInputs = [ pkgs.pkg-config ];
            buildInputs = [ pkgs.openssl ];
            doCheck = false;
            meta.description = "Theater actor runtime at c50b1871 (theater, theater-server)";
          };
        in
        {
          inherit node-modules theater-chat theater;
          default = theater-chat;
        });

      apps = forAllSystems (pkgs: {
        default = {
          type = "app";
          program = "${self.packages.${pkgs.stdenv.hostPlatform.system}.theater-chat}/bin/theater-chat";
        };
      });

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          packages = [ pkgs.nodejs_20 pkgs.chromium pkgs.git self.packages.${pkgs.stdenv.hostPlatform.system}.theater ];
          shellHook = ''
            export CHROMIUM_PATH=${pkgs.chromium}/bin/chromium
          '';
        };
      });
    };
}
