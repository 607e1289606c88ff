/**
 * CPU per record of each step a source record goes through, each measured alone in this
 * process on the sandbox's own pages: JSON.parse of the raw page bytes, the Ashby JSON → Avro
 * mapping, avsc encoding, and producing the encoded records to the real broker (process CPU,
 * so librdkafka's threads are counted). The source bench subtracts these from the connector's
 * whole CPU per record to show where the rest goes. Averaged over candidates and applications.
 */
import { loadContract, toStreamRecord } from '../../src/avro/index.js';
import { resolveConfig } from '../../src/config/load.js';
import { rdkafkaConfig } from '../../src/config/kafka-options.js';
import { KafkaAdmin } from '../../src/kafka/index.js';
import { KafkaProducer } from '../../src/kafka/producer.js';
import { startSandbox } from '../../src/sandbox/index.js';

export interface PhaseCosts {
  jsonParseUs: number;
  mappingUs: number;
  encodeUs: number;
  produceUs: number;
  records: number;
}

const STREAMS: Array<{ stream: string; endpoint: string }> = [
  { stream: 'candidates', endpoint: 'candidate.list' },
  { stream: 'applications', endpoint: 'application.list' },
];

/** CPU µs per call of `fn`, repeated until at least `minMs` of wall time passed. */
function cpuPer(fn: () => number, minMs = 300): number {
  fn(); // warm-up
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let n = 0;
  while (performance.now() - t0 < minMs) n += fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
}

/** Raw page bodies of `endpoint`, as the client receives them. */
async function pages(url: string, endpoint: string, count: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${url}/${endpoint}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('sandbox_full:').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ limit: 100, ...(cursor ? { cursor } : {}) }),
    });
    const body = Buffer.from(await res.arrayBuffer());
    out.push(body);
    const parsed = JSON.parse(body.toString('utf8')) as { moreDataAvailable?: boolean; nextCursor?: string };
    if (!parsed.moreDataAvailable || !parsed.nextCursor) break;
    cursor = parsed.nextCursor;
  }
  return out;
}

export async function measurePhases(opts: { bootstrap: string; pagesPerStream?: number }): Promise<PhaseCosts> {
  const contract = loadContract();
  const sandbox = await startSandbox({ scale: 2_000, seed: 1 });
  const costs = { jsonParseUs: 0, mappingUs: 0, encodeUs: 0, produceUs: 0, records: 0 };
  const encoded: Buffer[] = [];
  try {
    for (const { stream, endpoint } of STREAMS) {
      const raw = await pages(sandbox.url, endpoint, opts.pagesPerStream ?? 10);
      const parsed = raw.map((b) => (JSON.parse(b.toString('utf8')) as { results: Record<string, unknown>[] }).results);
      const type = contract.streamType(stream);
      const mapped = parsed.map((rs) => rs.map((r) => toStreamRecord(stream, r)));
      costs.jsonParseUs += cpuPer(() =>
        raw.reduce((n, b) => n + (JSON.parse(b.toString('utf8')) as { results: unknown[] }).results.length, 0),
      );
      costs.mappingUs += cpuPer(() =>
        parsed.reduce((n, rs) => {
          for (const r of rs) toStreamRecord(stream, r);
          return n + rs.length;
        }, 0),
      );
      costs.encodeUs += cpuPer(() =>
        mapped.reduce((n, rs) => {
          for (const r of rs) type.toBuffer(r);
          return n + rs.length;
        }, 0),
      );
      for (const rs of mapped) for (const r of rs) encoded.push(type.toBuffer(r));
      costs.records += mapped.reduce((n, rs) => n + rs.length, 0);
    }
  } finally {
    await sandbox.close();
  }
  costs.jsonParseUs /= STREAMS.length;
  costs.mappingUs /= STREAMS.length;
  costs.encodeUs /= STREAMS.length;
  costs.produceUs = await produceCost(opts.bootstrap, encoded);
  return costs;
}

/** CPU µs per record of producing `values` (repeated to 20,000 records) and waiting for every delivery. */
async function produceCost(bootstrap: string, values: Buffer[]): Promise<number> {
  const kafka = resolveConfig({ ashby: { api_key: 'x' }, kafka: { bootstrap_servers: bootstrap } }, { env: {} }).kafka;
  const rd = { ...rdkafkaConfig(kafka), log_level: 0 };
  const topic = `bench.phases.${Date.now().toString(36)}`;
  const admin = KafkaAdmin.create(rd);
  await admin.ensureTopics([{ name: topic, partitions: 3, replicationFactor: 1 }]);
  const producer = await KafkaProducer.connect({ config: rd });
  try {
    const send = async (n: number): Promise<void> => {
      const pending: Promise<unknown>[] = [];
      for (let i = 0; i < n; i++) {
        const value = values[i % values.length]!;
        pending.push(producer.send({ topic, key: `k${i}`, value, headers: { 'ashby-kafka.stream': 'bench' } }));
      }
      await Promise.all(pending);
    };
    await send(2_000); // warm-up: connection, metadata
    const n = 20_000;
    const c0 = process.cpuUsage();
    await send(n);
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / n;
  } finally {
    await producer.close();
    await admin.deleteTopic(topic).catch(() => undefined);
    admin.close();
  }
}
