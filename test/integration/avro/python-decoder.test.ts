import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { COMMAND_ENTITIES, DEFAULT_SCHEMAS_DIR, loadContract } from '../../../src/avro/contract.js';
import { createSerde } from '../../../src/avro/serde/create-serde.js';
import { canonicalFormOf, fingerprintOf } from '../../../src/avro/schema.js';
import { parseJsonCommand } from '../../../src/sink/operations/command-mapping.js';
import { toStreamRecord } from '../../../src/avro/mapping/stream-mapping.js';
import { REGISTRY_URL, uniqueName } from '../../support/stack.js';
import { recordedRecords } from '../../avro/recorded.js';
import { APPLICATION, CANDIDATE } from '../../avro/samples.js';

/**
 * An independent decoder agrees: Apache Avro's Python implementation (Debian python3-avro, for
 * the system /usr/bin/python3 — not a pyenv python first on PATH) reads our bytes with our
 * .avsc files, in both wire formats, and computes the same canonical forms and fingerprints.
 */
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, 'python_avro_decode.py');
const contract = loadContract();

type Json = Record<string, unknown>;

interface Message {
  schema: string;
  format: 'confluent' | 'single-object';
  hex: string;
}

function runPython(request: { schemas: string[]; messages: Message[] }): {
  schemas: Record<string, { canonical: string; fingerprint: string }>;
  values: unknown[];
} {
  const out = spawnSync(PYTHON, ['-W', 'ignore', SCRIPT], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(`python3-avro decoder failed: ${out.stderr || out.stdout}`);
  return JSON.parse(out.stdout) as ReturnType<typeof runPython>;
}

/** What python-avro returns for our value: json fields stay JSON text (it ignores our logical type), instants as ISO. */
function pythonView(schema: unknown, value: unknown, named: Map<string, Json>): unknown {
  if (value === null) return null;
  if (typeof schema === 'string') {
    const ref = named.get(schema);
    return ref ? pythonView(ref, value, named) : value;
  }
  if (Array.isArray(schema)) return pythonView(schema[1], value, named);
  const s = schema as Json;
  if (s.logicalType === 'timestamp-millis') return (value as Date).toISOString();
  if (s.logicalType === 'json') return JSON.stringify(value);
  if (s.type === 'array') return (value as unknown[]).map((v) => pythonView(s.items, v, named));
  if (s.type === 'record') {
    named.set(
      s.namespace && !String(s.name).includes('.') ? `${String(s.namespace)}.${String(s.name)}` : String(s.name),
      s,
    );
    const v = value as Json;
    return Object.fromEntries(
      (s.fields as Json[]).map((f) => [f.name, pythonView(f.type, v[f.name as string], named)]),
    );
  }
  return value;
}

beforeAll(() => {
  const probe = spawnSync(PYTHON, ['-c', 'import avro'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `${PYTHON} cannot import avro (${(probe.stderr || probe.error?.message || '').trim()}): install it with \`apt-get install python3-avro\` (scripts/setup.sh does)`,
    );
  }
});

describe('python3-avro', () => {
  it('computes the same Parsing Canonical Form and CRC-64-AVRO fingerprint for every schema', () => {
    const files = [
      ['key.avsc', contract.keyType()],
      ...contract.streams().map((s) => [`streams/${s}.avsc`, contract.streamType(s)] as const),
      ...COMMAND_ENTITIES.map((e) => [`commands/${e}.avsc`, contract.commandType(e)] as const),
    ] as const;
    const result = runPython({ schemas: files.map(([f]) => join(DEFAULT_SCHEMAS_DIR, f)), messages: [] });
    for (const [file, type] of files) {
      const theirs = result.schemas[join(DEFAULT_SCHEMAS_DIR, file)]!;
      expect({ file, canonical: theirs.canonical, fingerprint: theirs.fingerprint }).toEqual({
        file,
        canonical: canonicalFormOf(type),
        fingerprint: fingerprintOf(type).toString('hex'),
      });
    }
  });

  it('decodes our single-object and Confluent bodies of every recorded record, the samples and the commands', async () => {
    const confluent = createSerde({ mode: 'confluent', registry: { url: REGISTRY_URL } }, contract);
    const single = createSerde({ mode: 'single-object' }, contract);
    const prefix = uniqueName('python');
    const cases: Array<{
      schemaPath: string;
      schema: unknown;
      value: unknown;
      type: ReturnType<typeof contract.streamType>;
      topic: string;
    }> = [];
    const records = [
      ...recordedRecords().map((r) => [r.stream, r.record] as const),
      ['candidates', CANDIDATE] as const,
      ['applications', APPLICATION] as const,
    ];
    for (const [stream, record] of records) {
      cases.push({
        schemaPath: join(DEFAULT_SCHEMAS_DIR, 'streams', `${stream}.avsc`),
        schema: contract.streamSchema(stream),
        value: toStreamRecord(stream, record),
        type: contract.streamType(stream),
        topic: `${prefix}.${stream}`,
      });
    }
    cases.push({
      schemaPath: join(DEFAULT_SCHEMAS_DIR, 'commands', 'candidate.avsc'),
      schema: contract.commandSchema('candidate'),
      value: parseJsonCommand('candidate', {
        operation: 'create',
        name: 'Ada',
        createdAt: '2024-01-01T00:00:00.000Z',
        customFields: [{ fieldId: 'f', fieldValue: ['a'] }],
      }),
      type: contract.commandType('candidate'),
      topic: `${prefix}.commands`,
    });
    const messages: Message[] = [];
    for (const c of cases) {
      messages.push({
        schema: c.schemaPath,
        format: 'single-object',
        hex: (await single.encodeValue(c.topic, c.type, c.value)).toString('hex'),
      });
      messages.push({
        schema: c.schemaPath,
        format: 'confluent',
        hex: (await confluent.encodeValue(c.topic, c.type, c.value)).toString('hex'),
      });
    }
    const { values } = runPython({ schemas: [...new Set(cases.map((c) => c.schemaPath))], messages });
    expect(values).toHaveLength(cases.length * 2);
    cases.forEach((c, i) => {
      const expected = pythonView(c.schema, c.value, new Map());
      expect(values[2 * i]).toEqual(expected);
      expect(values[2 * i + 1]).toEqual(expected);
    });
    await confluent.close();
  });

  it("is the system python with Debian's avro package", () => {
    expect(
      execFileSync(PYTHON, ['-c', 'import avro, os; print(os.path.dirname(avro.__file__))'], {
        encoding: 'utf8',
      }).trim(),
    ).toMatch(/^\/usr\/lib\/python3/);
  });
});
