#!/usr/bin/env bash
# The runtime's behaviour and reliability tests against the sanitizer build (npm run build:asan makes it):
# AddressSanitizer and UndefinedBehaviorSanitizer stop the process at the first report, so any report fails
# a test. LeakSanitizer only checks at a normal exit and the runtime always ends with _exit (suspended fibers
# still own V8's archived thread state), so the runtime runs LSan's check itself before _exit when
# COROJS_LEAK_CHECK is set, and a leak turns exit status 0 into 23. V8's own heap bookkeeping is suppressed
# (runtime/test/lsan.supp says why); nothing of ours is.
set -euo pipefail
cd "$(dirname "$0")/.."
export COROJS_BIN=build-asan/corojs
export ASAN_OPTIONS=abort_on_error=0:detect_leaks=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/runtime/test/lsan.supp:print_suppressions=0
export COROJS_LEAK_CHECK=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export SOAK_SECONDS=${SOAK_SECONDS:-60}
export SOAK_RSS_BOUND=off  # ASan's quarantine keeps freed memory on purpose
export COROJS_TEST_FIBER_LIMIT=4000  # ASan's own per-thread mappings would exhaust vm.max_map_count first
export FUZZ_PROGRAMS=${FUZZ_PROGRAMS:-2000}  # mixed programs per backend: ASan runs them ~5x slower
# The behaviour and reliability suites under every fiber backend (same-thread switches are announced to ASan).
for backend in fcontext ucontext thread; do
  # The default backend gets the full reliability run; the others a shorter one (CI's 90 minutes): a 20 s
  # soak (still >10,000 connections), 30,000 fuzzed primordial calls and 500 mixed programs.
  if [ "$backend" = fcontext ]; then scale=(); else scale=(SOAK_SECONDS=20 FUZZ_CALLS=30000 FUZZ_PROGRAMS=500); fi
  env "${scale[@]}" COROJS_FIBER_BACKEND=$backend node --test --test-concurrency=1 --test-reporter=spec \
    $(find runtime/test/behaviour runtime/test/reliability -name '*.test.mjs' | sort)
done
