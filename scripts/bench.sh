#!/usr/bin/env bash
# `npm run bench -- <name>`: builds, then runs bench/<name>.ts. Each benchmark prints ratios
# against a baseline measured in the same run (medians of several runs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
name="${1:-}"
available="$(ls bench/*.ts 2>/dev/null | xargs -n1 basename 2>/dev/null | sed 's/\.ts$//' | tr '\n' ' ')"
if [[ -z "$name" || ! -f "bench/$name.ts" ]]; then
  echo "usage: npm run bench -- <name>   (available: ${available:-none})" >&2; exit 2
fi
shift
bash scripts/setup.sh
npm run --silent build
exec node "dist/bench/$name.js" "$@"
