#!/usr/bin/env bash
# What a newcomer does, on this machine: clone the committed HEAD into a temporary folder (nothing
# beside it, no untracked files), point HOME at an empty folder (no ~/.m2, no npm cache,
# no ~/.cache/ashby-kafka, no ~/.npmrc), then run the README's two commands, `npm run demo` and
# `npm test`, on free ports so a running stack is not disturbed. Prints the time of each step.
#
#   bash scripts/fresh-check.sh            # the clone is deleted after a success, kept after a failure
#   KEEP_FRESH=1 bash scripts/fresh-check.sh
#   FRESH_STEPS=demo bash scripts/fresh-check.sh   # only the demo (e.g. beside a CI run of the tests)
#
# Apt packages are the machine's: setup.sh installs what is missing, as on a new machine.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf '[fresh-check] %s\n' "$*" >&2; }
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }

work="$(mktemp -d "${TMPDIR:-/tmp}/ashby-kafka-fresh.XXXXXX")"
clone="$work/clone"
say "cloning $(git -C "$repo" rev-parse --short HEAD) into $clone"
git clone -q "$repo" "$clone"

export HOME="$work/home"
mkdir -p "$HOME"
unset KAFKA_BOOTSTRAP SCHEMA_REGISTRY_URL REGISTRY_MANAGEMENT_PORT ASHBY_KAFKA_CACHE ASHBY_KAFKA_STACK_DIR
unset npm_config_cache npm_config_nodedir npm_config_userconfig
KAFKA_PORT="$(free_port)"; KAFKA_CONTROLLER_PORT="$(free_port)"; REGISTRY_PORT="$(free_port)"; REGISTRY_MANAGEMENT_PORT="$(free_port)"
export KAFKA_PORT KAFKA_CONTROLLER_PORT REGISTRY_PORT REGISTRY_MANAGEMENT_PORT
say "HOME=$HOME (empty); stack ports: kafka $KAFKA_PORT, controller $KAFKA_CONTROLLER_PORT, registry $REGISTRY_PORT"

cd "$clone"
finish() {
  local rc=$?
  bash stack/stack.sh down --wipe >/dev/null 2>&1 || true
  if ((rc == 0)) && [[ "${KEEP_FRESH:-0}" != 1 ]]; then
    rm -rf "$work"
  else
    say "kept $work for inspection"
  fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

timed() { # timed LABEL CMD... -> runs CMD, records its wall time
  local label="$1" t0; shift
  t0=$(date +%s)
  say "running: $*"
  "$@"
  times+=("$label: $(( $(date +%s) - t0 )) s")
}
times=()
for step in ${FRESH_STEPS:-demo test}; do
  case "$step" in
    demo) timed "npm run demo" npm run demo ;;
    test) timed "npm test" npm test ;;
    *) say "unknown step in FRESH_STEPS: $step (use demo and/or test)"; exit 2 ;;
  esac
done
say "passed from a fresh clone with an empty HOME:"
for t in "${times[@]}"; do say "  $t"; done
