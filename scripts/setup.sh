#!/usr/bin/env bash
# Installs what ashby-kafka needs on a Debian machine, skipping what is already there:
#   - apt: a JDK (Kafka, Apicurio), Maven (fetches them), a C/C++ toolchain and the headers
#     node-rdkafka compiles librdkafka against (TLS, zlib, zstd, SASL), kcat (broker probe), python3-avro (the
#     independent Avro decoder the tests use), python3-confluent-kafka and python3-requests (the Python
#     consumer example), chromium (the console's browser tests), curl;
#   - npm ci, when node_modules is missing or older than package-lock.json.
# Used by `npm test`, `npm run demo` and .ci/run. Safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '[setup] %s\n' "$*" >&2; }

APT_PACKAGES=(build-essential python3 libssl-dev zlib1g-dev libzstd-dev libsasl2-dev kcat python3-avro python3-confluent-kafka python3-requests maven curl chromium)
command -v java >/dev/null 2>&1 || APT_PACKAGES+=(openjdk-17-jre-headless)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null 2>&1; then
    say "missing packages: ${missing[*]} — install them with your package manager, then rerun"; exit 1
  fi
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  say "installing apt packages: ${missing[*]}"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# node-gyp must build node-rdkafka against the local Node headers (no download). Do not set
# JOBS=max: a parallel build of the bundled librdkafka fails.
node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
if [[ -f "$node_prefix/include/node/node.h" ]]; then
  export npm_config_nodedir="$node_prefix"
else
  say "warning: no Node headers under $node_prefix/include/node; node-gyp may try to download them"
fi
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm dependencies (npm ci; node-rdkafka compiles librdkafka, ~3 min)"
  npm ci --no-audit --no-fund >&2
elif [[ ! -d dist/src ]]; then
  npm run build >&2
fi
