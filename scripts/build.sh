#!/usr/bin/env bash
# Builds everything: the runtime (build/corojs), the same-engine Node 18 launcher, C++ unit tests, the
# TypeScript lab (build/ts) and the Go twins (build/go). `BUILD_DIR=build-asan CMAKE_ARGS=-DCOROJS_ASAN=ON` builds the sanitizer variant.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCOROJS_DEPS="$PWD/build/deps" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
if [ -f harness/native/CMakeLists.txt ] && [ "$BUILD_DIR" = build ]; then
  (cd harness/native && npx cmake-js compile --out ../../build/native >/dev/null)
fi
npx tsc -p tsconfig.json
# The Go twins (the lab's go target): standard library only, offline, with Debian's golang-go (scripts/setup.sh).
if [ "$BUILD_DIR" != build ]; then
  :  # a sanitizer or A/B build: the lab's Go twins come from the main build
elif command -v go >/dev/null; then
  mkdir -p build/go
  (cd baselines/go && GOCACHE="$PWD/../../build/go-cache" GOPROXY=off GOFLAGS= go build -trimpath -o ../../build/go/ ./...)
else
  echo "build: go not found (Debian package golang-go): the lab's go target is not built" >&2
fi
