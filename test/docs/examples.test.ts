import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadContract } from '../../src/avro/contract.js';
import { PACKAGE_ROOT } from '../../src/package-info.js';
import { DEFAULT_CATALOG } from '../../src/source/catalog.js';

/**
 * The consumer guide's examples that cannot run here (no Kafka Connect, Flink or Spark on this
 * machine) are checked against the contract instead: converters, topics and field names exist,
 * Flink's columns map onto the Avro fields with compatible types, the Python parses. Each is
 * shown in docs/consumers.md exactly as it is in docs/examples/.
 */
const EXAMPLES = join(PACKAGE_ROOT, 'docs', 'examples');
const read = (name: string): string => readFileSync(join(EXAMPLES, name), 'utf8');
const contract = loadContract();

type Avro =
  string | Avro[] | { type: string; logicalType?: string; items?: Avro; fields?: Array<{ name: string; type: Avro }> };

function topicStream(topic: string): string {
  const stream = topic.replace(/^ashby\./, '');
  expect(DEFAULT_CATALOG.get(stream)).toBeDefined();
  return stream;
}

describe('docs/examples', () => {
  it('every example is shown verbatim in docs/consumers.md', () => {
    const guide = readFileSync(join(PACKAGE_ROOT, 'docs', 'consumers.md'), 'utf8');
    for (const f of ['connect-jdbc-sink.json', 'flink-candidates.sql', 'spark_candidates.py', 'consume.py'])
      expect(guide).toContain(read(f));
  });

  it('Kafka Connect: string keys, Avro values through the registry, and only scalar fields into JDBC', () => {
    const { config } = JSON.parse(read('connect-jdbc-sink.json')) as { config: Record<string, string> };
    expect(config['key.converter']).toBe('org.apache.kafka.connect.storage.StringConverter');
    expect(config['value.converter']).toBe('io.confluent.connect.avro.AvroConverter');
    expect(config['value.converter.schema.registry.url']).toMatch(/^http:\/\/.+\/apis\/ccompat\/v7$/);
    const schema = contract.streamSchema(topicStream(config.topics!)) as {
      fields: Array<{ name: string; type: Avro }>;
    };
    const scalar = (t: Avro): boolean =>
      typeof t === 'string'
        ? !['record', 'array', 'map'].includes(t)
        : Array.isArray(t)
          ? t.every(scalar)
          : !['record', 'array', 'map'].includes(t.type);
    for (const name of config['transforms.scalars.include']!.split(',')) {
      const field = schema.fields.find((f) => f.name === name);
      expect([name, field !== undefined && scalar(field.type)]).toEqual([name, true]);
    }
    expect(config['pk.fields']).toBe('id');
  });

  it("Flink SQL: 'key.format' = 'raw', avro-confluent values, and every column is a compatible field of the record", () => {
    const ddl = read('flink-candidates.sql');
    const options = Object.fromEntries([...ddl.matchAll(/'([\w.-]+)' = '([^']*)'/g)].map((m) => [m[1]!, m[2]!]));
    expect(options['key.format']).toBe('raw');
    expect(options['value.format']).toBe('avro-confluent');
    expect(options['value.fields-include']).toBe('EXCEPT_KEY');
    const schema = contract.streamSchema(topicStream(options.topic!)) as {
      fields: Array<{ name: string; type: Avro }>;
    };
    const table = ddl.slice(ddl.indexOf('CREATE TABLE')).replace(/--.*$/gm, '');
    const columns = splitTopLevel(table.slice(table.indexOf('(') + 1, table.indexOf(') WITH ('))).map((c) => c.trim());
    expect(columns.length).toBeGreaterThan(5);
    for (const column of columns) {
      const [, name, type] = /^`(\w+)`\s+([\s\S]+)$/.exec(column)!;
      if (name === options['key.fields']) {
        expect(type).toBe('STRING NOT NULL');
        continue;
      }
      const field = schema.fields.find((f) => f.name === name);
      expect([name, field ? compatible(type!, field.type) : 'no such field']).toEqual([name, true]);
    }
  });

  it('Spark and Python examples parse', () => {
    for (const f of ['spark_candidates.py', 'consume.py']) {
      const out = spawnSync(
        '/usr/bin/python3',
        ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', join(EXAMPLES, f)],
        { encoding: 'utf8' },
      );
      expect([f, out.status, out.stderr]).toEqual([f, 0, '']);
    }
    // The Spark example strips the 5-byte Confluent header and reads the schema id from bytes 1-4.
    expect(read('spark_candidates.py')).toContain('substring(value, 6, length(value) - 5)');
    expect(read('spark_candidates.py')).toContain('substring(value, 2, 4)');
  });
});

/** Splits a column list at commas outside <> and (). */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '<' || ch === '(') depth++;
    if (ch === '>' || ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  return [...out, current];
}

/** Whether a Flink SQL type reads an Avro writer type (Flink's own Avro mapping; nullable columns read non-null fields). */
function compatible(sql: string, avro: Avro): boolean {
  let type = sql.trim();
  const notNull = /\sNOT NULL$/.test(type);
  if (notNull) type = type.replace(/\sNOT NULL$/, '').trim();
  if (Array.isArray(avro)) {
    if (notNull) return false;
    const inner = avro.filter((t) => t !== 'null');
    return inner.length === 1 && compatible(type, inner[0]!);
  }
  const t = typeof avro === 'string' ? { type: avro } : avro;
  if (type === 'STRING') return t.type === 'string';
  if (type === 'BOOLEAN') return t.type === 'boolean';
  if (type === 'BIGINT') return t.type === 'long' && !t.logicalType;
  if (type === 'DOUBLE') return t.type === 'double';
  if (type === 'TIMESTAMP(3)') return t.type === 'long' && t.logicalType === 'timestamp-millis';
  const array = /^ARRAY<([\s\S]+)>$/.exec(type);
  if (array) return t.type === 'array' && compatible(array[1]!, t.items!);
  const row = /^ROW<([\s\S]+)>$/.exec(type);
  if (row) {
    return (
      t.type === 'record' &&
      splitTopLevel(row[1]!).every((c) => {
        const [, name, ftype] = /^\s*`(\w+)`\s+([\s\S]+)$/.exec(c)!;
        const field = t.fields!.find((f) => f.name === name);
        return field !== undefined && compatible(ftype!, field.type);
      })
    );
  }
  return false;
}
