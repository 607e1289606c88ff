#!/usr/bin/env bash
# The local stack: a single-node Apache Kafka (KRaft, broker+controller) and an
# Apicurio Registry (in-memory storage, Confluent-compatible API), both run as
# plain Java processes from Maven Central artifacts. No Docker.
#
#   stack.sh up       fetch what is missing, start what is not running, wait until ready
#   stack.sh down     stop what `up` started, by recorded PID
#   stack.sh status   what runs, where, and the log paths
#   stack.sh env      prints `export KAFKA_BOOTSTRAP=… SCHEMA_REGISTRY_URL=…` for this stack
#   stack.sh up --any-ports
#                     as `up`, but when a default port is held by a process this script did not
#                     start, says so and uses free ports instead (recorded for later commands)
#   stack.sh fetch    only resolve the artifacts into the cache
#   stack.sh fetch --fresh-repo
#                     resolve every artifact into an EMPTY temporary local Maven repository (what a
#                     new machine sees), then fills the cache from it where it lacks a piece; fails
#                     naming the artifact that does not resolve. CI runs this, so a warm ~/.m2
#                     cannot hide a missing POM.
#
# Settings (environment):
#   ASHBY_KAFKA_CACHE       artifact cache, outside git   (default ~/.cache/ashby-kafka)
#   ASHBY_KAFKA_STACK_DIR   pids, logs, data              (default <repo>/.stack)
#   KAFKA_PORT              broker listener               (default 9092)
#   KAFKA_CONTROLLER_PORT   KRaft controller listener     (default 9093)
#   REGISTRY_PORT           Apicurio HTTP port            (default 8081)
#   REGISTRY_MANAGEMENT_PORT  Apicurio's management (health) interface (default 8082; Quarkus
#                           builds it in, so it is moved rather than turned off)
#   KAFKA_HEAP / REGISTRY_HEAP   max heap                 (default 512m / 384m)
#   REGISTRY_JAVA_HOME      JDK for the registry (needs Java 21+); else JAVA_HOME when it is 21+,
#                           else the newest JDK 21+ under /usr/lib/jvm
#   KAFKA_JAVA_HOME         JDK for Kafka (needs Java 17+); else JAVA_HOME, else `java` on PATH,
#                           else the newest JDK 17+ under /usr/lib/jvm
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

KAFKA_VERSION=4.1.1
# Pinned so that the artifact and its whole descriptor chain (parent POMs, BOMs) is served by
# Maven Central: apicurio-registry-app 3.0.9's parent POM is not, so 3.0.9 only resolved from a
# warm ~/.m2. `stack.sh fetch --fresh-repo` proves this on every CI run.
APICURIO_VERSION=3.3.3
CACHE="${ASHBY_KAFKA_CACHE:-$HOME/.cache/ashby-kafka}"
STACK_DIR="${ASHBY_KAFKA_STACK_DIR:-$repo/.stack}"
# `up --any-ports` may have moved the stack off ports another process held: it records the ports
# it used here, and later commands of this checkout find the stack there unless ports are given.
PORTS_FILE="$STACK_DIR/ports.env"
if [[ -z "${KAFKA_PORT:-}${KAFKA_CONTROLLER_PORT:-}${REGISTRY_PORT:-}${REGISTRY_MANAGEMENT_PORT:-}" && -f "$PORTS_FILE" ]]; then
  # shellcheck source=/dev/null
  source "$PORTS_FILE"
fi
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
REGISTRY_PORT="${REGISTRY_PORT:-8081}"
REGISTRY_MANAGEMENT_PORT="${REGISTRY_MANAGEMENT_PORT:-8082}"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"
# The registry's GC log (.stack/registry-gc.log) is kept: a fresh-clone `npm test` once saw it go
# 30 s without an answer, and a whole run keeps its live heap under 40 MB with pauses of at most
# 0.13 s, so a stall there is not a collection. It is a request Apicurio leaves unanswered (at
# times after logging it as answered); the registry client retries it (docs/avro.md,
# "Registry requests").
REGISTRY_HEAP="${REGISTRY_HEAP:-384m}"
READY_TIMEOUT="${STACK_READY_TIMEOUT:-180}"

KAFKA_LIBS="$CACHE/kafka-$KAFKA_VERSION/libs"
APICURIO_HOME="$CACHE/apicurio-$APICURIO_VERSION"
# The 3.3.x distribution is a Quarkus fast-jar (quarkus-run.jar with lib/ and app/ beside it); it
# needs Java 21+.
APICURIO_JAR="quarkus-run.jar"
REGISTRY_JAVA_MIN=21
KAFKA_JAVA_MIN=17
# Both JVMs carry this marker, so a recorded PID is trusted only if it is still our process.
STACK_MARKER="-Dashby-kafka.stack"
KAFKA_DATA="$STACK_DIR/kafka-data"
KAFKA_LOG="$STACK_DIR/kafka.log"
REGISTRY_LOG="$STACK_DIR/registry.log"
KAFKA_PID="$STACK_DIR/kafka.pid"
REGISTRY_PID="$STACK_DIR/registry.pid"
REGISTRY_URL="http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7"

say() { printf '[stack] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

need() { command -v "$1" >/dev/null 2>&1 || die "$1 is not installed ($2)"; }

alive() { # alive PIDFILE -> 0 when the recorded process still runs and is still ours
  [[ -f "$1" ]] || return 1
  local pid; pid="$(cat "$1")"
  kill -0 "$pid" 2>/dev/null || return 1
  # After a reboot the PID may belong to an unrelated process: trust it only if it is our JVM.
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$STACK_MARKER=" || return 1
  fi
}

java_major() { # java_major JAVA_BIN -> the feature version (17, 21, 25, ...), or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

# pick_java MIN CANDIDATE... -> prints the java binary of the first candidate with Java MIN+.
# A candidate is a JDK home, `@jvm` (the JDKs under /usr/lib/jvm, newest first) or `@path` (`java`
# on PATH); empty candidates (unset variables) are skipped.
pick_java() {
  local min="$1"; shift
  local candidates=() c home bin major
  for c in "$@"; do
    case "$c" in
      "") ;;
      @path) command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)") ;;
      @jvm)
        if [[ -d /usr/lib/jvm ]]; then
          while IFS= read -r home; do candidates+=("$home/bin/java"); done \
            < <(find /usr/lib/jvm -mindepth 1 -maxdepth 1 \( -type d -o -type l \) | sort -rV)
        fi ;;
      *) candidates+=("$c/bin/java") ;;
    esac
  done
  for bin in "${candidates[@]}"; do
    [[ -x "$bin" ]] || continue
    major="$(java_major "$bin")"
    if [[ -n "$major" ]] && (( major >= min )); then echo "$bin"; return 0; fi
  done
  return 1
}

kafka_java() {
  pick_java "$KAFKA_JAVA_MIN" "${KAFKA_JAVA_HOME:-}" "${JAVA_HOME:-}" @path @jvm \
    || die "Kafka needs Java $KAFKA_JAVA_MIN+ and none was found: apt-get install openjdk-17-jre-headless (or set KAFKA_JAVA_HOME)"
}

registry_java() {
  pick_java "$REGISTRY_JAVA_MIN" "${REGISTRY_JAVA_HOME:-}" "${JAVA_HOME:-}" @jvm @path \
    || die "Apicurio Registry $APICURIO_VERSION needs Java $REGISTRY_JAVA_MIN+ and none was found (REGISTRY_JAVA_HOME, JAVA_HOME, /usr/lib/jvm): install a JDK 21 or newer (e.g. Temurin 21/25, or openjdk-21-jre-headless where your distribution has it) or set REGISTRY_JAVA_HOME"
}

# mvn_resolve WHAT REPO GOAL ARGS... -> runs one resolution; on failure names the artifact
mvn_resolve() {
  local what="$1" repo_local="$2"; shift 2
  local out; out="$(mktemp)"
  if ! mvn -q -B -Dstyle.color=never -f "$here/pom.xml" ${repo_local:+"-Dmaven.repo.local=$repo_local"} "$@" >"$out" 2>&1; then
    grep -m1 -E 'Could not|Failed to|ERROR' "$out" >&2 || cat "$out" >&2
    rm -f "$out"
    die "could not resolve $what from Maven Central${repo_local:+ into the empty local repository $repo_local}"
  fi
  rm -f "$out"
}

resolve_kafka() { # resolve_kafka REPO_LOCAL DEST
  mvn_resolve "org.apache.kafka:kafka_2.13:$KAFKA_VERSION (and its runtime dependencies)" "$1" \
    dependency:copy-dependencies -Dkafka.version="$KAFKA_VERSION" -DincludeScope=runtime -DoutputDirectory="$2"
}

resolve_apicurio() { # resolve_apicurio REPO_LOCAL DEST_DIR -> DEST_DIR holds the extracted distribution
  local dl; dl="$(mktemp -d)"
  mvn_resolve "io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all (and its parent POMs)" "$1" \
    dependency:copy -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" -DoutputDirectory="$dl"
  mkdir -p "$2"
  tar -xzf "$dl/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz" -C "$2"
  rm -rf "$dl"
  [[ -f "$2/$APICURIO_JAR" ]] || die "the Apicurio $APICURIO_VERSION distribution did not contain $APICURIO_JAR"
}

fetch() {
  need mvn "apt-get install maven"
  kafka_java >/dev/null
  if [[ "${1:-}" == "--fresh-repo" ]]; then
    # What a new machine sees: an empty local repository, so every POM, parent and BOM must be
    # served by the remote. The cache is then refreshed from what resolved.
    local fresh; fresh="$(mktemp -d "${TMPDIR:-/tmp}/ashby-kafka-m2.XXXXXX")"
    local staged="$fresh.out"
    # Expanded now: the locals are gone when the EXIT trap runs (and `set -u` would fail on them).
    # shellcheck disable=SC2064
    trap "rm -rf $(printf '%q %q' "$fresh" "$staged")" EXIT
    say "resolving every stack artifact into an empty local Maven repository ($fresh)"
    resolve_kafka "$fresh" "$staged/kafka-libs"
    resolve_apicurio "$fresh" "$staged/apicurio"
    say "all stack artifacts resolve from an empty local repository"
    # Fill the cache from what resolved, where it lacks a piece. A complete cache is left as it is:
    # a running stack may be using those jars.
    if [[ ! -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]]; then
      rm -rf "$KAFKA_LIBS"; mkdir -p "$(dirname "$KAFKA_LIBS")"; mv "$staged/kafka-libs" "$KAFKA_LIBS"
      say "cached Kafka $KAFKA_VERSION in $KAFKA_LIBS"
    fi
    if [[ ! -f "$APICURIO_HOME/$APICURIO_JAR" ]]; then
      rm -rf "$APICURIO_HOME"; mkdir -p "$CACHE"; mv "$staged/apicurio" "$APICURIO_HOME"
      say "cached Apicurio Registry $APICURIO_VERSION in $APICURIO_HOME"
    fi
    return 0
  fi
  if [[ ! -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]]; then
    say "resolving Kafka $KAFKA_VERSION from Maven Central into $KAFKA_LIBS"
    resolve_kafka "" "$KAFKA_LIBS"
  fi
  if [[ ! -f "$APICURIO_HOME/$APICURIO_JAR" ]]; then
    say "resolving Apicurio Registry $APICURIO_VERSION from Maven Central into $APICURIO_HOME"
    local tmp="$APICURIO_HOME.partial"
    rm -rf "$tmp"
    resolve_apicurio "" "$tmp"
    rm -rf "$APICURIO_HOME"; mv "$tmp" "$APICURIO_HOME"
  fi
}

kafka_ready() {
  if command -v kcat >/dev/null 2>&1; then
    kcat -L -b "127.0.0.1:$KAFKA_PORT" -m 3 >/dev/null 2>&1
  else
    node "$here/probe-kafka.cjs" "127.0.0.1:$KAFKA_PORT" >/dev/null 2>&1
  fi
}

registry_ready() {
  curl -fsS -m 3 "$REGISTRY_URL/subjects" 2>/dev/null | grep -q '^\['
}

wait_for() { # wait_for NAME CHECK PIDFILE LOG
  local name="$1" check="$2" pidfile="$3" log="$4" waited=0
  until "$check"; do
    alive "$pidfile" || { tail -n 40 "$log" >&2 || true; die "$name exited during start-up; log: $log"; }
    (( waited >= READY_TIMEOUT )) && { tail -n 40 "$log" >&2 || true; die "$name not ready after ${READY_TIMEOUT}s; log: $log"; }
    sleep 1; waited=$((waited + 1))
  done
  say "$name ready after ${waited}s"
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() { # a TCP port nothing listens on now (the kernel's pick)
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# move_off_taken_ports: for `up --any-ports`, when our services are not running and a port they
# need is held by someone else (another checkout's stack, a local Kafka), take free ports.
move_off_taken_ports() {
  if ! alive "$KAFKA_PID"; then
    if port_taken "$KAFKA_PORT" || port_taken "$KAFKA_CONTROLLER_PORT"; then
      local k c; k="$(free_port)"; c="$(free_port)"
      say "port $KAFKA_PORT or $KAFKA_CONTROLLER_PORT is in use by a process this script did not start; kafka will use $k (controller $c)"
      KAFKA_PORT="$k"; KAFKA_CONTROLLER_PORT="$c"
      # A KRaft log formatted for other listeners is still fine: the ports are not in meta.properties.
    fi
  fi
  if ! alive "$REGISTRY_PID"; then
    if port_taken "$REGISTRY_PORT"; then
      local r; r="$(free_port)"
      say "port $REGISTRY_PORT is in use by a process this script did not start; the registry will use $r"
      REGISTRY_PORT="$r"
    fi
    if port_taken "$REGISTRY_MANAGEMENT_PORT"; then
      local m; m="$(free_port)"
      say "port $REGISTRY_MANAGEMENT_PORT is in use by a process this script did not start; the registry's management interface will use $m"
      REGISTRY_MANAGEMENT_PORT="$m"
    fi
  fi
  REGISTRY_URL="http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7"
}

record_ports() {
  mkdir -p "$STACK_DIR"
  printf 'KAFKA_PORT=%s\nKAFKA_CONTROLLER_PORT=%s\nREGISTRY_PORT=%s\nREGISTRY_MANAGEMENT_PORT=%s\n' \
    "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$REGISTRY_PORT" "$REGISTRY_MANAGEMENT_PORT" >"$PORTS_FILE"
}

start_kafka() {
  if alive "$KAFKA_PID"; then say "kafka already running (pid $(cat "$KAFKA_PID"))"; return; fi
  port_taken "$KAFKA_PORT" && die "port $KAFKA_PORT is in use by a process this script did not start; set KAFKA_PORT (or use up --any-ports)"
  mkdir -p "$STACK_DIR"
  local props="$STACK_DIR/server.properties"
  sed -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
      -e "s#@DATA@#$KAFKA_DATA#g" "$here/server.properties" > "$props"
  local java; java="$(kafka_java)"
  if [[ ! -f "$KAFKA_DATA/meta.properties" ]]; then
    say "formatting KRaft storage in $KAFKA_DATA"
    "$java" -cp "$KAFKA_LIBS/*" -Dlog4j2.configurationFile="$here/log4j2.properties" \
      kafka.tools.StorageTool format -t "$("$java" -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)" \
      -c "$props" --ignore-formatted >>"$KAFKA_LOG" 2>&1 || die "formatting Kafka storage failed; log: $KAFKA_LOG"
  fi
  say "starting kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (heap $KAFKA_HEAP, $("$java" -version 2>&1 | head -n1))"
  echo "$java" > "$STACK_DIR/kafka.java"
  nohup "$java" "$STACK_MARKER=kafka" "-Xmx$KAFKA_HEAP" "-Xms128m" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$here/log4j2.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$props" >>"$KAFKA_LOG" 2>&1 &
  echo $! > "$KAFKA_PID"
}

start_registry() {
  if alive "$REGISTRY_PID"; then say "registry already running (pid $(cat "$REGISTRY_PID"))"; return; fi
  port_taken "$REGISTRY_PORT" && die "port $REGISTRY_PORT is in use by a process this script did not start; set REGISTRY_PORT (or use up --any-ports)"
  port_taken "$REGISTRY_MANAGEMENT_PORT" && die "port $REGISTRY_MANAGEMENT_PORT (the registry's management interface) is in use by a process this script did not start; set REGISTRY_MANAGEMENT_PORT (or use up --any-ports)"
  mkdir -p "$STACK_DIR"
  local java; java="$(registry_java)"
  say "starting apicurio registry $APICURIO_VERSION on 127.0.0.1:$REGISTRY_PORT (heap $REGISTRY_HEAP, in-memory storage, $("$java" -version 2>&1 | head -n1))"
  echo "$java" > "$STACK_DIR/registry.java"
  # Run from the distribution folder: quarkus-run.jar resolves lib/ relative to itself.
  # `exec` makes the backgrounded subshell become java, so the recorded PID is the JVM's own.
  # record-request-start-time fills the access log's response_time (ms): it tells a slow answer
  # from a lost one (logged as fast, never received; see the GC log note above).
  ( cd "$APICURIO_HOME" && exec nohup "$java" "$STACK_MARKER=registry" "-Xmx$REGISTRY_HEAP" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      "-Xlog:gc:file=$STACK_DIR/registry-gc.log:time,uptime:filecount=2,filesize=4m" \
      -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$REGISTRY_PORT" \
      -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$REGISTRY_MANAGEMENT_PORT" -Dquarkus.otel.enabled=false \
      -Dquarkus.http.record-request-start-time=true \
      -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=h2 \
      -Dapicurio.rest.deletion.artifact.enabled=true -Dapicurio.rest.deletion.artifact-version.enabled=true \
      -Dapicurio.rest.deletion.group.enabled=true \
      -jar "$APICURIO_JAR" ) >>"$REGISTRY_LOG" 2>&1 &
  echo $! > "$REGISTRY_PID"
}

stop_one() { # stop_one NAME PIDFILE
  local name="$1" pidfile="$2"
  if ! alive "$pidfile"; then rm -f "$pidfile"; say "$name not running"; return; fi
  local pid; pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then say "$name (pid $pid) ignored TERM for 30s; sending KILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$pidfile"
  say "$name stopped (pid $pid)"
}

memory_of() { # memory_of PID -> "rss 412 MB, peak 455 MB" (Linux /proc)
  local f="/proc/$1/status"
  [[ -r "$f" ]] || return 0
  awk '/^VmRSS:/ {rss=$2} /^VmHWM:/ {hwm=$2} END {if (rss) printf "rss %d MB, peak %d MB", rss/1024, hwm/1024}' "$f"
}

status_one() { # status_one NAME PIDFILE WHERE LOG CHECK
  local state="stopped" mem="" java=""
  if alive "$2"; then
    state="running (pid $(cat "$2"))"; "$5" && state="$state, ready" || state="$state, not ready"
    mem="$(memory_of "$(cat "$2")")"
    local pid; pid="$(cat "$2")"
    java="$(readlink -f "/proc/$pid/exe" 2>/dev/null || true)"
    [[ -n "$java" ]] && java="java $(java_major "$java") ($java)"
  fi
  printf '%-9s %-32s %-45s log: %s\n' "$1" "$state" "$3" "$4"
  [[ -n "$mem$java" ]] && printf '%-9s %s\n' "" "${java}${java:+${mem:+, }}$mem"
  return 0
}

case "${1:-}" in
  fetch) fetch "${2:-}" ;;
  up)
    fetch
    mkdir -p "$STACK_DIR"
    [[ "${2:-}" == "--any-ports" ]] && move_off_taken_ports
    record_ports
    start_kafka
    start_registry
    wait_for kafka kafka_ready "$KAFKA_PID" "$KAFKA_LOG"
    wait_for registry registry_ready "$REGISTRY_PID" "$REGISTRY_LOG"
    say "up: kafka 127.0.0.1:$KAFKA_PORT, registry $REGISTRY_URL"
    ;;
  down)
    stop_one registry "$REGISTRY_PID"
    stop_one kafka "$KAFKA_PID"
    rm -f "$PORTS_FILE"
    if [[ "${2:-}" == "--wipe" ]]; then rm -rf "$KAFKA_DATA"; say "wiped $KAFKA_DATA"; fi
    ;;
  env)
    printf 'export KAFKA_BOOTSTRAP=%q SCHEMA_REGISTRY_URL=%q\n' "127.0.0.1:$KAFKA_PORT" "$REGISTRY_URL"
    ;;
  status)
    if [[ "${2:-}" == "--quiet" ]]; then # exit 0 only when both are running and ready
      alive "$KAFKA_PID" && alive "$REGISTRY_PID" && kafka_ready && registry_ready; exit
    fi
    status_one kafka "$KAFKA_PID" "127.0.0.1:$KAFKA_PORT" "$KAFKA_LOG" kafka_ready
    status_one registry "$REGISTRY_PID" "$REGISTRY_URL" "$REGISTRY_LOG" registry_ready
    ;;
  *) echo "usage: stack.sh up [--any-ports]|down [--wipe]|status [--quiet]|env|fetch [--fresh-repo]" >&2; exit 2 ;;
esac
