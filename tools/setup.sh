#!/bin/sh
# Installs what building and testing wasmaot needs, from Debian 12 packages.
# Run as root (or with sudo available). Safe to run again.
set -eu

packages="
  build-essential meson ninja-build pkg-config python3
  llvm-19-dev clang-19 lld-19 libclang-rt-19-dev
  libclang-rt-19-dev-wasm32 wasi-libc
  rustc libstd-rust-dev-wasm32
  wabt binaryen nodejs
  libcriterion-dev clang-format-19
  libjson-c-dev libxxhash-dev
  musl-dev musl-tools
  scdoc bash-completion
  libc6-dev-arm64-cross libgcc-12-dev-arm64-cross qemu-user
"

if [ "$(id -u)" -eq 0 ]; then
    as_root=""
else
    as_root="sudo"
fi

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    $as_root apt-get update
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y --no-install-recommends $missing
fi
