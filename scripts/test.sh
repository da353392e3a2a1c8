#!/usr/bin/env bash
# Every test: C++ units under ctest, then behaviour tests (real scripts in the real build/corojs), harness and
# dashboard tests, all under node's test runner, which prints the closing summary.
set -euo pipefail
cd "$(dirname "$0")/.."
ctest --test-dir build --output-on-failure
# The runtime's behaviour and reliability tests (fuzzers, faults, hostile peers, soak) run once per fiber
# backend (issue 12): fcontext (the default), ucontext and thread; then test262's module folders against Node 18
# (issue 15, default backend), the lab's and the dashboard's tests.
for backend in fcontext ucontext thread; do
  # The soak runs its full 180 s on the default backend, 60 s on the others (CI's 90 minutes hold all three).
  soak=${SOAK_SECONDS:-$([ "$backend" = fcontext ] && echo 180 || echo 60)}
  SOAK_SECONDS=$soak COROJS_FIBER_BACKEND=$backend node --test --test-concurrency=1 --test-reporter=spec \
    $(find runtime/test/behaviour runtime/test/reliability -name '*.test.mjs' | sort)
done
node --test --test-concurrency=1 --test-reporter=spec \
  $(find runtime/test/conformance harness/test dashboard/test -name '*.test.mjs' 2>/dev/null | sort)
