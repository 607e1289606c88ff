import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createSerde, loadContract } from '../avro/index.js';
import { serdeConfigFrom } from '../config/serde-options.js';
import { loadConfigFile } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { rdkafkaConfig } from '../config/kafka-options.js';
import { endOffsets, topicCensus, type Census } from '../inspect/topic-census.js';
import type { CliIo } from './output.js';
import { SUMMARIES } from './summaries.js';

/**
 * `ashby-kafka inspect --config FILE`: what the source's topics hold, read back from Kafka as a
 * consumer sees it (committed records only), with one record decoded through the registry.
 * `--mark F` saves the current end offsets; `--since F` counts only what was written after them.
 */
export interface InspectCliOptions {
  config: string;
  stream?: string[];
  sample?: string;
  mark?: string;
  since?: string;
  json?: boolean;
}

export async function runInspectCli(opts: InspectCliOptions, io: CliIo): Promise<void> {
  const config = await loadConfigFile(opts.config);
  const prefix = config.source?.topic_prefix ?? 'ashby.';
  const contract = loadContract();
  for (const s of [...(opts.stream ?? []), ...(opts.sample ? [opts.sample] : [])]) {
    if (!contract.streams().includes(s))
      throw new ConfigError(`unknown stream "${s}"; streams are: ${contract.streams().join(', ')}`);
  }
  const streams = opts.stream?.length ? opts.stream : contract.streams();
  const rd = rdkafkaConfig(config.kafka);
  if (opts.mark) {
    const ends = await endOffsets(
      rd,
      streams.map((s) => `${prefix}${s}`),
    );
    writeFileSync(opts.mark, JSON.stringify(Object.fromEntries(ends), null, 2));
    io.out(`saved the end offsets of ${ends.size} partitions to ${opts.mark}\n`);
    return;
  }
  const serde = createSerde(serdeConfigFrom(config), contract);
  try {
    const census = await topicCensus({
      rd,
      serde,
      contract,
      topicPrefix: prefix,
      streams,
      sampleStream: opts.sample,
      after: opts.since ? readMark(opts.since) : undefined,
    });
    io.out(opts.json ? `${JSON.stringify(census, null, 2)}\n` : formatCensus(census, Boolean(opts.since)));
  } finally {
    await serde.close();
  }
}

function readMark(path: string): Map<string, number> {
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>));
  } catch (err) {
    throw new ConfigError(
      `cannot read saved offsets from ${path} (write them first with --mark): ${(err as Error).message}`,
    );
  }
}

export function formatCensus(census: Census, since: boolean): string {
  const rows = census.counts.filter((c) => !since || c.records > 0);
  const width = Math.max(5, ...rows.map((r) => r.topic.length));
  const lines = [`${'topic'.padEnd(width)}  ${since ? 'new records' : '    records'}  distinct keys`];
  for (const r of rows)
    lines.push(`${r.topic.padEnd(width)}  ${String(r.records).padStart(11)}  ${String(r.distinctKeys).padStart(13)}`);
  const total = rows.reduce((n, r) => n + r.records, 0);
  lines.push(`${'total'.padEnd(width)}  ${String(total).padStart(11)}`);
  if (census.counts.length === 0) lines.push('(no stream topics found: run `ashby-kafka source` first)');
  if (census.sample) {
    const s = census.sample;
    lines.push(
      '',
      `one record of ${s.topic} (partition ${s.partition}, offset ${s.offset}), decoded with its registered schema:`,
      `key: ${s.key}`,
    );
    lines.push(`headers: ${JSON.stringify(s.headers)}`);
    lines.push(JSON.stringify(s.value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
  }
  return `${lines.join('\n')}\n`;
}

export function registerInspectCommand(program: Command, io: CliIo): void {
  program
    .command('inspect')
    .description(SUMMARIES.inspect)
    .requiredOption('-c, --config <file>', 'pipeline config file (YAML or JSON)')
    .option('-s, --stream <name...>', 'only these streams (default: all)')
    .option('--sample <stream>', 'decode and print the first record of this stream')
    .option('--mark <file>', 'save the current end offsets to this file, then exit')
    .option('--since <file>', 'count only records written after the offsets saved with --mark')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: InspectCliOptions) => runInspectCli(opts, io));
}
