#!/usr/bin/env bash
# Runs a cross-built Windows test program under Wine for ctest; exit 77 (ctest: skipped) says what is missing.
# A console program needs no display; the Wine prefix lives under build/ (WINEPREFIX, set by the ctest entry).
set -uo pipefail
exe=$1
shift
if [ ! -f "$exe" ]; then
  echo "skipped: $exe was not built (needs Debian g++-mingw-w64-x86-64, which scripts/setup.sh installs)"
  exit 77
fi
if ! command -v wine >/dev/null; then
  echo "skipped: wine not found (Debian wine and wine64, which scripts/setup.sh installs)"
  exit 77
fi
export WINEPREFIX=${WINEPREFIX:?the ctest entry sets it} WINEDEBUG=-all
# A new prefix skips the Mono and Gecko installers (nothing here uses .NET or HTML), and no debugger starts
# when the death test's child faults on purpose.
export WINEDLLOVERRIDES="mscoree,mshtml=;winedbg.exe=d"
status=0
wine "$exe" "$@" || status=$?
# The prefix's wineserver exits a few seconds after its last program: wait, so nothing is left running.
wineserver -w
exit "$status"
