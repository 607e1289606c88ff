#!/usr/bin/env bash
# The local stack: a single-node Apache Kafka (KRaft, broker+controller) and an
# Apicurio Registry (in-memory storage, Confluent-compatible API), both run as
# plain Java processes from Maven Central artifacts. No Docker.
#
#   stack.sh up       fetch what is missing, start what is not running, wait until ready
#   stack.sh down     stop what `up` started, by recorded PID
#   stack.sh status   what runs, where, and the log paths
#   stack.sh fetch    only resolve the artifacts into the cache
#
# Settings (environment):
#   ASHBY_KAFKA_CACHE       artifact cache, outside git   (default ~/.cache/ashby-kafka)
#   ASHBY_KAFKA_STACK_DIR   pids, logs, data              (default <repo>/.stack)
#   KAFKA_PORT              broker listener               (default 9092)
#   KAFKA_CONTROLLER_PORT   KRaft controller listener     (default 9093)
#   REGISTRY_PORT           Apicurio HTTP port            (default 8081)
#   KAFKA_HEAP / REGISTRY_HEAP   max heap                 (default 512m / 384m)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

KAFKA_VERSION=4.1.1
APICURIO_VERSION=3.0.9
CACHE="${ASHBY_KAFKA_CACHE:-$HOME/.cache/ashby-kafka}"
STACK_DIR="${ASHBY_KAFKA_STACK_DIR:-$repo/.stack}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
REGISTRY_PORT="${REGISTRY_PORT:-8081}"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"
REGISTRY_HEAP="${REGISTRY_HEAP:-384m}"
READY_TIMEOUT="${STACK_READY_TIMEOUT:-180}"

KAFKA_LIBS="$CACHE/kafka-$KAFKA_VERSION/libs"
APICURIO_HOME="$CACHE/apicurio-$APICURIO_VERSION"
# The 3.0.x distribution is a fat runner jar that needs only Java 17 (3.1+ needs Java 21).
APICURIO_JAR="apicurio-registry-app-$APICURIO_VERSION-runner.jar"
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
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qE 'kafka\.Kafka|apicurio-registry-app' || return 1
  fi
}

fetch() {
  need java "install a JDK 17+, e.g. apt-get install openjdk-17-jre-headless"
  need mvn "apt-get install maven"
  if [[ ! -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]]; then
    say "resolving Kafka $KAFKA_VERSION from Maven Central into $KAFKA_LIBS"
    mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
      -Dkafka.version="$KAFKA_VERSION" -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS" >&2
  fi
  if [[ ! -f "$APICURIO_HOME/$APICURIO_JAR" ]]; then
    say "resolving Apicurio Registry $APICURIO_VERSION from Maven Central into $APICURIO_HOME"
    local dl="$CACHE/download"
    mkdir -p "$dl" "$APICURIO_HOME"
    mvn -q -B -f "$here/pom.xml" dependency:copy \
      -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" -DoutputDirectory="$dl" >&2
    tar -xzf "$dl/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz" -C "$APICURIO_HOME"
    rm -f "$dl/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz"
    [[ -f "$APICURIO_HOME/$APICURIO_JAR" ]] || die "Apicurio tarball did not contain $APICURIO_JAR"
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

start_kafka() {
  if alive "$KAFKA_PID"; then say "kafka already running (pid $(cat "$KAFKA_PID"))"; return; fi
  port_taken "$KAFKA_PORT" && die "port $KAFKA_PORT is in use by a process this script did not start; set KAFKA_PORT"
  mkdir -p "$STACK_DIR"
  local props="$STACK_DIR/server.properties"
  sed -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
      -e "s#@DATA@#$KAFKA_DATA#g" "$here/server.properties" > "$props"
  if [[ ! -f "$KAFKA_DATA/meta.properties" ]]; then
    say "formatting KRaft storage in $KAFKA_DATA"
    java -cp "$KAFKA_LIBS/*" -Dlog4j2.configurationFile="$here/log4j2.properties" \
      kafka.tools.StorageTool format -t "$(java -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)" \
      -c "$props" --ignore-formatted >>"$KAFKA_LOG" 2>&1 || die "formatting Kafka storage failed; log: $KAFKA_LOG"
  fi
  say "starting kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (heap $KAFKA_HEAP)"
  nohup java "-Xmx$KAFKA_HEAP" "-Xms128m" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$here/log4j2.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$props" >>"$KAFKA_LOG" 2>&1 &
  echo $! > "$KAFKA_PID"
}

start_registry() {
  if alive "$REGISTRY_PID"; then say "registry already running (pid $(cat "$REGISTRY_PID"))"; return; fi
  port_taken "$REGISTRY_PORT" && die "port $REGISTRY_PORT is in use by a process this script did not start; set REGISTRY_PORT"
  mkdir -p "$STACK_DIR"
  say "starting apicurio registry $APICURIO_VERSION on 127.0.0.1:$REGISTRY_PORT (heap $REGISTRY_HEAP, in-memory storage)"
  # Run from the distribution folder: the runner jar resolves lib/ relative to itself.
  # `exec` makes the backgrounded subshell become java, so the recorded PID is the JVM's own.
  ( cd "$APICURIO_HOME" && exec nohup java "-Xmx$REGISTRY_HEAP" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$REGISTRY_PORT" \
      -Dquarkus.management.enabled=false -Dquarkus.otel.enabled=false \
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
  local state="stopped" mem=""
  if alive "$2"; then
    state="running (pid $(cat "$2"))"; "$5" && state="$state, ready" || state="$state, not ready"
    mem="$(memory_of "$(cat "$2")")"
  fi
  printf '%-9s %-32s %-45s log: %s\n' "$1" "$state" "$3" "$4"
  [[ -n "$mem" ]] && printf '%-9s %s\n' "" "$mem"
  return 0
}

case "${1:-}" in
  fetch) fetch ;;
  up)
    fetch
    mkdir -p "$STACK_DIR"
    start_kafka
    start_registry
    wait_for kafka kafka_ready "$KAFKA_PID" "$KAFKA_LOG"
    wait_for registry registry_ready "$REGISTRY_PID" "$REGISTRY_LOG"
    say "up: kafka 127.0.0.1:$KAFKA_PORT, registry $REGISTRY_URL"
    ;;
  down)
    stop_one registry "$REGISTRY_PID"
    stop_one kafka "$KAFKA_PID"
    if [[ "${2:-}" == "--wipe" ]]; then rm -rf "$KAFKA_DATA"; say "wiped $KAFKA_DATA"; fi
    ;;
  status)
    if [[ "${2:-}" == "--quiet" ]]; then # exit 0 only when both are running and ready
      alive "$KAFKA_PID" && alive "$REGISTRY_PID" && kafka_ready && registry_ready; exit
    fi
    status_one kafka "$KAFKA_PID" "127.0.0.1:$KAFKA_PORT" "$KAFKA_LOG" kafka_ready
    status_one registry "$REGISTRY_PID" "$REGISTRY_URL" "$REGISTRY_LOG" registry_ready
    ;;
  *) echo "usage: stack.sh up|down [--wipe]|status [--quiet]|fetch" >&2; exit 2 ;;
esac
