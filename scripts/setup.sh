#!/usr/bin/env bash
# One idempotent set-up for a fresh Debian 12 machine: system packages, V8 from libnode108 (unpacked, never
# apt-installed: it conflicts with the machine's nodejs), npm packages. Called by `npm run lab` and `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

# g++-mingw-w64-x86-64 and wine/wine64 build and run the fiber core's Windows Fibers test (runtime/test/windows);
# clang-format is scripts/format.sh's C++ formatter.
APT_PACKAGES=(cmake g++ make pkg-config libuv1-dev libssl-dev libc-ares-dev libboost-context-dev libicu72 libbrotli1
  libnghttp2-14 libgtest-dev wrk dnsmasq-base chromium openssl util-linux procps valgrind golang-go
  g++-mingw-w64-x86-64 wine wine64 clang-format)
# apt-get update once, before the first install or download (a fresh machine may have no package lists).
updated=""
apt_update_once() { [ -n "$updated" ] || { $SUDO apt-get update; updated=1; }; }
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

# V8 (and the Node 18 the same-engine baseline uses) from Debian's libnode108, unpacked into build/deps.
DEPS=build/deps
if [ ! -f "$DEPS/usr/lib/x86_64-linux-gnu/libnode.so.108" ] || [ ! -f "$DEPS/usr/include/node/v8.h" ]; then
  mkdir -p "$DEPS/debs"
  apt_update_once
  (cd "$DEPS/debs" && apt-get download libnode108 libnode-dev)
  for deb in "$DEPS"/debs/libnode*.deb; do dpkg -x "$deb" "$DEPS"; done
fi
# Debian's libnode loads these JS files from /usr/share/nodejs at start-up (the same-engine Node 18 launcher
# aborts with "Cannot load externalized builtin" without them). apt-installing them would pull in the
# conflicting nodejs package, so they are unpacked to / by hand.
if [ ! -d /usr/share/nodejs/cjs-module-lexer ] || [ ! -d /usr/share/nodejs/acorn ] || [ ! -d /usr/share/nodejs/undici ]; then
  mkdir -p "$DEPS/debs-share"
  apt_update_once
  (cd "$DEPS/debs-share" && apt-get download node-cjs-module-lexer node-acorn node-undici)
  for deb in "$DEPS"/debs-share/*.deb; do $SUDO dpkg -x "$deb" /; done
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
