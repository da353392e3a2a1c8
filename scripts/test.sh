#!/usr/bin/env bash
# Every test: C++ units under ctest, then behaviour tests (real scripts in the real build/corojs), harness and
# dashboard tests, all under node's test runner, which prints the closing summary.
set -euo pipefail
cd "$(dirname "$0")/.."
ctest --test-dir build --output-on-failure
# The runtime's behaviour tests run once per fiber backend (issue 7); the default (thread) run adds the
# reliability tests (fuzz, faults, hostile peers, soak), the lab's and the dashboard's.
COROJS_FIBER_BACKEND=ucontext node --test --test-concurrency=1 --test-reporter=spec \
  $(find runtime/test/behaviour -name '*.test.mjs' | sort)
COROJS_FIBER_BACKEND=thread node --test --test-concurrency=1 --test-reporter=spec \
  $(find runtime/test/behaviour runtime/test/reliability harness/test dashboard/test -name '*.test.mjs' 2>/dev/null | sort)
