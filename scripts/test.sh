#!/usr/bin/env bash
# `npm test`: installs what is missing, builds, brings the local stack up if it is not up
# (and takes it down again afterwards if this script started it), then runs every test,
# unit and integration. Extra arguments go to jest (e.g. `npm test -- test/config`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
npm run --silent build

# This checkout's stack, or the broker and registry given (scripts/lib/use-stack.sh).
source scripts/lib/use-stack.sh

node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js --maxWorkers=2 "$@"
