#!/usr/bin/env bash
# The runtime's behaviour and reliability tests against the sanitizer build (npm run build:asan makes it):
# AddressSanitizer and UndefinedBehaviorSanitizer stop the process at the first report, so any report fails
# a test. LeakSanitizer cannot run: the runtime ends with _exit (suspended fibers still own V8's archived
# thread state, see docs/ARCHITECTURE.md), and LSan only checks at a normal exit.
set -euo pipefail
cd "$(dirname "$0")/.."
export COROJS_BIN=build-asan/corojs
export ASAN_OPTIONS=abort_on_error=0:detect_leaks=0:halt_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export SOAK_SECONDS=${SOAK_SECONDS:-60}
COROJS_FIBER_BACKEND=thread node --test --test-concurrency=1 --test-reporter=spec \
  $(find runtime/test/behaviour runtime/test/reliability -name '*.test.mjs' | sort)
