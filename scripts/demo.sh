#!/usr/bin/env bash
# `npm run demo`: the main job, end to end, on the local stack and the Ashby sandbox.
#   1. installs what is missing (apt packages, npm ci), builds, brings the local stack up;
#   2. starts the Ashby sandbox (seeded data, keys sandbox_full / sandbox_readonly);
#   3. runs one source pass of every stream into Kafka through the real schema registry;
#   4. reads the topics back: a per-topic count table and one record decoded from Kafka;
#   5. changes a few records in the sandbox through the Ashby API, runs an incremental pass,
#      and shows that only those records were produced;
#   6. runs the source continuously with its webhook receiver, deletes a candidate in the sandbox
#      (which sends a signed candidateDelete webhook) and shows the tombstone arriving in Kafka.
# The stack stays up afterwards (`npm run stack:down` stops it); the sandbox is stopped.
# Each run uses its own topic prefix and state file under .demo/, so reruns start fresh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "Installing and building (skips what is already done)"
bash scripts/setup.sh
npm run --silent build
# To use a broker and registry that already run, set both KAFKA_BOOTSTRAP and
# SCHEMA_REGISTRY_URL. Otherwise the local stack comes up, on free ports when 9092/9093/8081 are
# taken by something else (it says so).
if [[ -n "${KAFKA_BOOTSTRAP:-}" && -n "${SCHEMA_REGISTRY_URL:-}" ]]; then
  printf 'Using the running broker %s and registry %s\n' "$KAFKA_BOOTSTRAP" "$SCHEMA_REGISTRY_URL" >&2
else
  bash stack/stack.sh up --any-ports
  eval "$(bash stack/stack.sh env)"
fi

run_id="$(date +%Y%m%d-%H%M%S)"
dir=".demo/$run_id"
mkdir -p "$dir"
cli() { node bin/ashby-kafka.js "$@"; }

step "Starting the Ashby sandbox"
node bin/ashby-kafka.js sandbox --port 0 --seed 1 >"$dir/sandbox.out" 2>"$dir/sandbox.log" &
sandbox_pid=$!
source_pid=""
trap 'kill "$sandbox_pid" 2>/dev/null || true; [[ -z "$source_pid" ]] || kill "$source_pid" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 1 100); do
  url="$(sed -n 's/^Ashby sandbox listening on \(http[^ ]*\).*/\1/p' "$dir/sandbox.out" | head -n1)"
  [[ -n "$url" ]] && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$dir/sandbox.log" >&2; echo "the sandbox did not start" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$url" ]] || { echo "the sandbox did not print its URL; see $dir/sandbox.log" >&2; exit 1; }
cat "$dir/sandbox.out" >&2

export ASHBY_API_KEY=sandbox_full DEMO_ASHBY_URL="$url" DEMO_PREFIX="demo.$run_id." DEMO_STATE="$dir/state.json"
config="$dir/pipeline.yaml"
cat >"$config" <<YAML
# The demo pipeline: config/ashby-to-kafka.yaml pointed at the sandbox.
ashby:
  api_key: \${ASHBY_API_KEY}
  base_url: \${DEMO_ASHBY_URL}
kafka:
  bootstrap_servers: \${KAFKA_BOOTSTRAP}
schema_registry:
  url: \${SCHEMA_REGISTRY_URL}
source:
  streams: all
  topic_prefix: \${DEMO_PREFIX}
  mode: incremental
  state: file:\${DEMO_STATE}
logging:
  format: pretty
YAML

step "First pass: every stream into Kafka (topics ${DEMO_PREFIX}<stream>)"
cli source --config "$config" --once

step "Read back from Kafka: records per topic, and one candidate decoded through the registry"
cli inspect --config "$config" --sample candidates
cli inspect --config "$config" --mark "$dir/offsets.json" >/dev/null

step "Changing records in the sandbox through the Ashby API (key sandbox_full)"
node --input-type=module - "$url" <<'JS'
const [url] = process.argv.slice(2);
const auth = `Basic ${Buffer.from('sandbox_full:').toString('base64')}`;
async function call(endpoint, body) {
  const res = await fetch(`${url}/${endpoint}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!json.success) throw new Error(`${endpoint}: ${JSON.stringify(json.errorInfo ?? json.errors)}`);
  return json.results;
}
const created = await call('candidate.create', { name: 'Ada Demo', email: `ada.demo.${Date.now()}@example.com` });
console.error(`  candidate.create  -> candidate ${created.id} (${created.name})`);
const page = await call('candidate.list', { limit: 2 });
for (const c of page) {
  await call('candidate.update', { candidateId: c.id, company: 'Demo Corp' });
  console.error(`  candidate.update  -> candidate ${c.id} (${c.name}): company = Demo Corp`);
}
const jobs = await call('job.list', { limit: 1 });
if (jobs[0]) {
  await call('job.update', { jobId: jobs[0].id, title: `${jobs[0].title} (demo)` });
  console.error(`  job.update        -> job ${jobs[0].id}: title = ${jobs[0].title} (demo)`);
}
JS

step "Incremental pass: only what changed is read (sync tokens) and produced"
cli source --config "$config" --once

step "What the incremental pass wrote to Kafka"
cli inspect --config "$config" --since "$dir/offsets.json"

step "A delete in Ashby arrives as a tombstone: the source's webhook receiver (docs/webhooks.md)"
hook_port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
export DEMO_WEBHOOK_SECRET="demo-webhook-secret-$run_id" DEMO_HOOK_PORT="$hook_port"
hooks_config="$dir/pipeline-webhooks.yaml"
# The same pipeline, candidates only, with the receiver on a free port (the secret from the environment).
awk -v port="$hook_port" '
  /^  streams: all$/ { print "  streams: [candidates]"; next }
  { print }
  /^  state: / { print "  interval: 1h"; print "  webhooks:"; print "    port: " port; print "    secret: ${DEMO_WEBHOOK_SECRET}" }
' "$config" >"$hooks_config"
# Without --once the source keeps running: one pass, then it waits for the next one or a webhook.
# node itself in the background (not the cli function, whose subshell would take the PID and
# leave node running after the kill below).
node bin/ashby-kafka.js source --config "$hooks_config" >"$dir/source-webhooks.log" 2>&1 &
source_pid=$!
node --input-type=module - "$url" "http://127.0.0.1:$hook_port/webhooks/ashby" "${DEMO_PREFIX}" <<'JS' || { cat "$dir/source-webhooks.log" >&2; exit 1; }
import Kafka from 'node-rdkafka';
import { createSerde, loadContract } from './dist/src/avro/index.js';
const [url, hook, prefix] = process.argv.slice(2);
const topic = `${prefix}candidates`, deletions = `${prefix}deletions`;
const auth = `Basic ${Buffer.from('sandbox_full:').toString('base64')}`;
async function call(endpoint, body) {
  const res = await fetch(`${url}/${endpoint}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!json.success) throw new Error(`${endpoint}: ${JSON.stringify(json.errorInfo ?? json.errors)}`);
  return json.results;
}
const deadline = Date.now() + 60_000;
for (;;) {
  const ok = await fetch(hook).then((r) => r.ok, () => false);
  if (ok) break;
  if (Date.now() > deadline) throw new Error(`the webhook receiver did not answer at ${hook}`);
  await new Promise((r) => setTimeout(r, 200));
}
console.error(`  webhook receiver up at ${hook}`);
const consumer = new Kafka.KafkaConsumer({ 'bootstrap.servers': process.env.KAFKA_BOOTSTRAP, 'group.id': `demo-${Date.now()}`, 'enable.auto.commit': false, log_level: 0 }, {});
await new Promise((res, rej) => consumer.connect({ timeout: 10_000 }, (e) => (e ? rej(e) : res())));
const md = await new Promise((res, rej) => consumer.getMetadata({ topic, timeout: 10_000 }, (e, d) => (e ? rej(e) : res(d))));
const parts = md.topics.find((t) => t.name === topic).partitions.map((p) => p.id);
const ends = await Promise.all(parts.map((p) => new Promise((res, rej) => consumer.queryWatermarkOffsets(topic, p, 10_000, (e, w) => (e ? rej(e) : res(w.highOffset))))));
consumer.assign(parts.map((partition, i) => ({ topic, partition, offset: ends[i] })));
const [victim] = await call('candidate.list', { limit: 1 });
await call('_sandbox/addWebhook', { url: hook, secret: process.env.DEMO_WEBHOOK_SECRET });
await call('_sandbox/delete', { entity: 'candidate', id: victim.id });
console.error(`  deleted candidate ${victim.id} (${victim.name}) in the sandbox: it sends a signed candidateDelete webhook`);
const started = Date.now();
let tomb;
while (!tomb && Date.now() - started < 20_000) {
  const msgs = await new Promise((res, rej) => consumer.consume(100, (e, m) => (e ? rej(e) : res(m))));
  tomb = msgs.find((m) => String(m.key) === victim.id && m.value === null);
}
consumer.disconnect();
if (!tomb) throw new Error(`no tombstone for ${victim.id} in ${topic} within 20 s`);
const headers = Object.assign({}, ...(tomb.headers ?? []).map((h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]))));
console.log(`  tombstone in ${topic} after ${Date.now() - started} ms: key=${victim.id} value=null reason=${headers['ashby.deletion_reason']}`);
// The deletions topic says why; read its one record back through the registry.
const reader = new Kafka.KafkaConsumer({ 'bootstrap.servers': process.env.KAFKA_BOOTSTRAP, 'group.id': `demo-${Date.now()}-d`, 'enable.auto.commit': false, log_level: 0 }, { 'auto.offset.reset': 'earliest' });
await new Promise((res, rej) => reader.connect({ timeout: 10_000 }, (e) => (e ? rej(e) : res())));
reader.subscribe([deletions]);
let rec;
while (!rec && Date.now() - started < 40_000) {
  const msgs = await new Promise((res, rej) => reader.consume(10, (e, m) => (e ? rej(e) : res(m))));
  rec = msgs.find((m) => String(m.key) === victim.id);
}
reader.disconnect();
if (rec) {
  const serde = createSerde({ mode: 'confluent', registry: { url: process.env.SCHEMA_REGISTRY_URL } }, loadContract());
  const v = await serde.decodeValue(deletions, rec.value);
  await serde.close();
  console.log(`  ${deletions}: ${JSON.stringify({ stream: v.stream, id: v.id, reason: v.reason, tombstoned: v.tombstoned, action: v.action })}`);
}
JS
kill "$source_pid" 2>/dev/null || true
wait "$source_pid" 2>/dev/null || true
source_pid=""

step "Done"
cat >&2 <<TXT
Topics: ${DEMO_PREFIX}<stream> on $KAFKA_BOOTSTRAP; schemas in $SCHEMA_REGISTRY_URL (subjects <topic>-value).
Pipeline file: $config. Run it again with: ASHBY_API_KEY=sandbox_full node bin/ashby-kafka.js source --config $config --once
(the sandbox stopped with this demo; start one with: npx ashby-kafka sandbox).
The stack is still up: npm run stack:status / npm run stack:down.
TXT
