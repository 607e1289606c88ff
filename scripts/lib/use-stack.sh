# Sourced by scripts/test.sh and scripts/bench.sh: a broker and registry given explicitly (both
# KAFKA_BOOTSTRAP and SCHEMA_REGISTRY_URL set) are used as they are; otherwise this checkout's
# stack is used, started if needed (on free ports if the defaults are taken) and stopped again
# on exit if this script started it (unless KEEP_STACK=1). Exports both variables.
started=0
if [[ -z "${KAFKA_BOOTSTRAP:-}" || -z "${SCHEMA_REGISTRY_URL:-}" ]]; then
  if ! bash stack/stack.sh status --quiet; then
    bash stack/stack.sh up --any-ports
    started=1
  fi
  eval "$(bash stack/stack.sh env)"
fi
export KAFKA_BOOTSTRAP SCHEMA_REGISTRY_URL
cleanup() { if ((started)) && [[ "${KEEP_STACK:-0}" != 1 ]]; then bash stack/stack.sh down; fi; }
trap cleanup EXIT
