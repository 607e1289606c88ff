#!/usr/bin/env bash
# `npm test`: installs what is missing, builds, brings the local stack up if it is not up
# (and takes it down again afterwards if this script started it), then runs every test,
# unit and integration. Extra arguments go to jest (e.g. `npm test -- test/config`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
npm run --silent build

# A broker and registry given explicitly (both variables set) are used as they are; otherwise
# this checkout's stack is used, started if needed, on free ports if the defaults are taken.
started=0
if [[ -z "${KAFKA_BOOTSTRAP:-}" || -z "${SCHEMA_REGISTRY_URL:-}" ]]; then
  if ! bash stack/stack.sh status --quiet; then
    bash stack/stack.sh up --any-ports
    started=1
  fi
  eval "$(bash stack/stack.sh env)"
fi
cleanup() { if ((started)) && [[ "${KEEP_STACK:-0}" != 1 ]]; then bash stack/stack.sh down; fi; }
trap cleanup EXIT

node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js --maxWorkers=2 "$@"
