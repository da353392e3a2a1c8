#!/usr/bin/env bash
# Formats the C++ with clang-format (.clang-format) and the TS/JS/CSS/JSON with prettier (.prettierrc,
# .prettierignore). `--check` changes nothing: it lists the files that are not formatted and exits 1 if any.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  --check) check=1 ;;
  "") check="" ;;
  *) echo "usage: scripts/format.sh [--check]" >&2; exit 2 ;;
esac
missing() { echo "format: $1 not found ($2, which scripts/setup.sh installs)" >&2; exit 2; }
command -v clang-format >/dev/null || missing clang-format "Debian clang-format"
prettier=node_modules/.bin/prettier
[ -x "$prettier" ] || missing "$prettier" "npm ci"

# Tracked and new (not ignored) C++ files; prettier finds its own through .prettierignore and .gitignore.
cxx=()
while IFS= read -r -d '' f; do [ -f "$f" ] && cxx+=("$f"); done \
  < <(git ls-files -z --cached --others --exclude-standard -- '*.cc' '*.cpp' '*.h')

if [ -z "$check" ]; then
  clang-format -i "${cxx[@]}"
  "$prettier" --write --log-level warn .
  exit 0
fi
unformatted=()
for f in "${cxx[@]}"; do clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || unformatted+=("$f"); done
# prettier exits 1 when it lists files, 2 when it fails (a file it cannot parse).
js_status=0
js_list=$("$prettier" --list-different .) || js_status=$?
[ "$js_status" -le 1 ] || { echo "format: prettier failed (status $js_status)" >&2; exit 2; }
js=()
[ -z "$js_list" ] || mapfile -t js <<< "$js_list"
unformatted+=("${js[@]}")
if [ ${#unformatted[@]} -gt 0 ]; then
  printf '%s\n' "${unformatted[@]}"
  cxx_count=$((${#unformatted[@]} - ${#js[@]}))
  echo "format: ${#unformatted[@]} file(s) not formatted (clang-format: $cxx_count, prettier: ${#js[@]});" \
    "scripts/format.sh rewrites them" >&2
  exit 1
fi
echo "format: all files formatted"
