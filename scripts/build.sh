#!/usr/bin/env bash
# Builds everything: the runtime (build/corojs), the same-engine Node 18 launcher, C++ unit tests, and the
# TypeScript lab (build/ts). `BUILD_DIR=build-asan CMAKE_ARGS=-DCOROJS_ASAN=ON` builds the sanitizer variant.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCOROJS_DEPS="$PWD/build/deps" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
if [ -f harness/native/CMakeLists.txt ] && [ "$BUILD_DIR" = build ]; then
  (cd harness/native && npx cmake-js compile --out ../../build/native >/dev/null)
fi
npx tsc -p tsconfig.json
