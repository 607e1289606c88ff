#!/usr/bin/env bash
# `npm run bench -- <name> [args]`: builds, then runs bench/<name>.ts. Each benchmark prints
# ratios against a baseline measured in the same run (medians of several runs).
#
# `npm run bench` with no name runs every benchmark of REPORT below at its report size, each
# writing its results as JSON (BENCH_JSON), then writes the generated part of docs/benchmarks.md
# and its charts (docs/benchmarks/*.svg). It brings the local stack up if it is not up (and takes
# it down again afterwards if this script started it), like `npm test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Every benchmark of the report, in the order it runs, one line each: optional VAR=value
# settings, the name (bench/<name>.ts), then its arguments. The sizes keep the whole run under
# 10 minutes on a 2-core machine; `npm run bench -- <name>` runs a benchmark at its full size.
REPORT=(
  "startup --quick"
  "avro"
  "BENCH_REPETITIONS=5 client"
  "sandbox --quick"
  "sink --quick"
  "source --quick"
  "floor --runs 3"
  "SERVE_BENCH_TENANTS=5 SERVE_BENCH_STEADY_S=10 SERVE_BENCH_FIRST_PASS_S=180 serve --quick"
)

name="${1:-}"
available="$(ls bench/*.ts 2>/dev/null | xargs -n1 basename 2>/dev/null | sed 's/\.ts$//' | tr '\n' ' ')"
if [[ -n "$name" ]]; then
  if [[ ! -f "bench/$name.ts" ]]; then
    echo "usage: npm run bench [-- <name>]   (available: ${available:-none}; no name: all of them and the report)" >&2
    exit 2
  fi
  shift
  bash scripts/setup.sh
  npm run --silent build
  exec node "dist/bench/$name.js" "$@"
fi

# ---- every benchmark, then the report ----------------------------------------------------------

names=()
for line in "${REPORT[@]}"; do
  for word in $line; do [[ "$word" == *=* ]] || { names+=("$word"); break; }; done
done
for b in $available; do
  [[ " ${names[*]} " == *" $b "* ]] || echo "[bench] note: bench/$b.ts is not in REPORT (scripts/bench.sh); the report leaves it out" >&2
done

bash scripts/setup.sh
npm run --silent build

# This checkout's stack, or the broker and registry given (scripts/lib/use-stack.sh).
source scripts/lib/use-stack.sh

results=".cache/bench/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"
node -e 'import("./dist/bench/lib/report.js").then((r) => process.stdout.write(JSON.stringify(r.thisMachine())))' \
  >"$results/machine.json"
t0=$SECONDS
for line in "${REPORT[@]}"; do
  settings=() bench="" args=()
  for word in $line; do
    if [[ -z "$bench" && "$word" == *=* ]]; then settings+=("$word")
    elif [[ -z "$bench" ]]; then bench="$word"
    else args+=("$word"); fi
  done
  echo "[bench] ${line} ($((SECONDS - t0)) s so far)" >&2
  rc=0
  env ${settings[@]+"${settings[@]}"} BENCH_JSON="$results/$bench.json" \
    node "dist/bench/$bench.js" ${args[@]+"${args[@]}"} 2>&1 | tee "$results/$bench.log" || rc=$?
  if ((rc != 0)); then
    echo "$rc" >"$results/$bench.rc"
    rm -f "$results/$bench.json"
    echo "[bench] $bench failed (exit $rc); see $results/$bench.log" >&2
  fi
done
echo "[bench] every benchmark ran in $((SECONDS - t0)) s; results in $results" >&2
node dist/bench/lib/write-report.js "$results" "${names[@]}"
