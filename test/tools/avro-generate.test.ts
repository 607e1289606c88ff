import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSchemaFiles } from '../../tools/avro-generate/generate.js';
import { OPENAPI_PATH } from '../support/ashby-fixtures.js';
import { DEFAULT_SCHEMAS_DIR } from '../../src/avro/contract.js';
import { EXPECTED_STREAMS } from '../support/streams.js';

type Json = Record<string, unknown>;

function checkedIn(): Map<string, string> {
  const files = new Map<string, string>();
  files.set('key.avsc', readFileSync(join(DEFAULT_SCHEMAS_DIR, 'key.avsc'), 'utf8'));
  for (const dir of ['streams', 'commands']) {
    for (const name of readdirSync(join(DEFAULT_SCHEMAS_DIR, dir)))
      files.set(`${dir}/${name}`, readFileSync(join(DEFAULT_SCHEMAS_DIR, dir, name), 'utf8'));
  }
  return files;
}

/** Every record schema inside a schema, with the path to it. */
function* records(schema: unknown, path = ''): Generator<[string, Json]> {
  if (Array.isArray(schema)) {
    for (const s of schema) yield* records(s, path);
  } else if (schema && typeof schema === 'object') {
    const o = schema as Json;
    if (o.type === 'record') {
      yield [path || String(o.name), o];
      for (const f of o.fields as Json[]) yield* records(f.type, `${path || String(o.name)}.${String(f.name)}`);
    } else if (o.type === 'array') {
      yield* records(o.items, `${path}[]`);
    }
  }
}

const files = checkedIn();
const parsed = new Map([...files].map(([k, v]) => [k, JSON.parse(v) as Json]));
const streamFiles = [...parsed].filter(([k]) => k.startsWith('streams/'));

describe('schemas/ is the generator output', () => {
  it("equals what the generator makes from Ashby's OpenAPI document (regenerate: npm run generate:schemas -- --spec test/fixtures/ashby/openapi.yml)", () => {
    if (!existsSync(OPENAPI_PATH)) {
      throw new Error(`Ashby's OpenAPI document is not at ${OPENAPI_PATH} (test/fixtures/ashby)`);
    }
    const generated = generateSchemaFiles(OPENAPI_PATH);
    expect([...files.keys()].sort()).toEqual([...generated.keys()].sort());
    for (const [name, text] of generated) expect({ name, text: files.get(name) }).toEqual({ name, text });
  });

  it('has one value schema per stream of the catalog, one per command entity, and the key', () => {
    expect(streamFiles.map(([k]) => k.replace(/^streams\/|\.avsc$/g, '')).sort()).toEqual([...EXPECTED_STREAMS].sort());
    expect([...files.keys()].filter((k) => k.startsWith('commands/')).sort()).toEqual([
      'commands/application.avsc',
      'commands/candidate.avsc',
      'commands/interview_schedule.avsc',
      'commands/job.avsc',
      'commands/offer.avsc',
    ]);
    expect(parsed.get('key.avsc')).toMatchObject({ type: 'string' });
  });
});

describe('contract rules', () => {
  it('names stream records io.ashbykafka.v1.<Record> and nests their types in io.ashbykafka.v1.<stream>', () => {
    for (const [file, schema] of streamFiles) {
      const stream = file.replace(/^streams\/|\.avsc$/g, '');
      expect(schema.namespace).toBe('io.ashbykafka.v1');
      for (const [path, rec] of records(schema))
        if (rec !== schema) expect({ path, ns: rec.namespace }).toEqual({ path, ns: `io.ashbykafka.v1.${stream}` });
    }
    expect(parsed.get('streams/candidates.avsc')!.name).toBe('Candidate');
    expect(parsed.get('streams/application_history.avsc')!.name).toBe('ApplicationHistory');
    for (const entity of ['candidate', 'job', 'application', 'offer']) {
      expect(parsed.get(`commands/${entity}.avsc`)).toMatchObject({
        namespace: 'io.ashbykafka.v1.command',
        name: `${entity[0]!.toUpperCase()}${entity.slice(1)}Command`,
      });
    }
  });

  it('documents every record and every field', () => {
    for (const [file, schema] of parsed) {
      for (const [path, rec] of records(schema)) {
        expect({ file, path, doc: typeof rec.doc === 'string' && rec.doc.length > 3 }).toEqual({
          file,
          path,
          doc: true,
        });
        for (const f of rec.fields as Json[]) {
          expect({
            file,
            field: `${path}.${String(f.name)}`,
            doc: typeof f.doc === 'string' && f.doc.length > 3,
          }).toEqual({ file, field: `${path}.${String(f.name)}`, doc: true });
        }
      }
    }
  });

  it('uses only ["null", T] unions, each with default null (what Flink, ksqlDB and BigQuery support)', () => {
    const unions: unknown[][] = [];
    const types = (t: unknown): void => {
      if (Array.isArray(t)) {
        unions.push(t);
        t.forEach(types);
      } else if (t && typeof t === 'object') {
        const o = t as Json;
        if (o.type === 'array') types(o.items);
        if (o.type === 'record') for (const f of o.fields as Json[]) types(f.type);
      }
    };
    for (const [, schema] of parsed) {
      types(schema);
      for (const [, rec] of records(schema)) {
        for (const f of rec.fields as Json[]) if (Array.isArray(f.type)) expect(f).toHaveProperty('default', null);
      }
    }
    expect(unions.length).toBeGreaterThan(500);
    for (const u of unions) expect({ union: u.length === 2 && u[0] === 'null' }).toEqual({ union: true });
  });

  it('ends every stream record (nested ones too) with the JSON catch-all', () => {
    for (const [file, schema] of streamFiles) {
      for (const [path, rec] of records(schema)) {
        const last = (rec.fields as Json[]).at(-1)!;
        expect({ file, path, last }).toEqual({
          file,
          path,
          last: expect.objectContaining({
            name: 'additionalProperties',
            type: ['null', { type: 'string', logicalType: 'json' }],
            default: null,
          }),
        });
      }
    }
  });

  it('keeps Ashby enums as strings whose doc lists the values', () => {
    const text = [...streamFiles].map(([, s]) => JSON.stringify(s)).join('');
    expect(text).not.toContain('"type":"enum"');
    const status = (parsed.get('streams/applications.avsc')!.fields as Json[]).find((f) => f.name === 'status')!;
    expect(status).toMatchObject({ type: 'string' });
    expect(status.doc).toContain('Known values: Hired, Archived, Active, Lead');
  });

  it('types instants as timestamp-millis and date-only fields as date', () => {
    const field = (file: string, name: string) => (parsed.get(file)!.fields as Json[]).find((f) => f.name === name)!;
    expect(field('streams/applications.avsc', 'createdAt').type).toEqual({
      type: 'long',
      logicalType: 'timestamp-millis',
    });
    expect(field('streams/candidates.avsc', 'updatedAt').type).toEqual([
      'null',
      { type: 'long', logicalType: 'timestamp-millis' },
    ]);
    expect(field('streams/job_postings.avsc', 'publishedDate').type).toEqual([
      'null',
      { type: 'int', logicalType: 'date' },
    ]);
    const version = JSON.stringify(field('streams/openings.avsc', 'latestVersion'));
    expect(version).toContain('{"name":"targetHireDate","type":["null",{"type":"int","logicalType":"date"}]');
  });

  it("splits the custom field value oneOf into one typed field per shape, all restoring Ashby's `value`", () => {
    const [, customField] = [...records(parsed.get('streams/candidates.avsc'))].find(
      ([p]) => p === 'Candidate.customFields[]',
    )!;
    const fields = (customField.fields as Json[]).map((f) => [f.name, f['ashby.name'] ?? f.name]);
    expect(fields).toEqual([
      ['id', 'id'],
      ['isPrivate', 'isPrivate'],
      ['title', 'title'],
      ['valueLabel', 'valueLabel'],
      ['valueLabels', 'valueLabel'],
      ['valueBoolean', 'value'],
      ['valueCurrency', 'value'],
      ['valueString', 'value'],
      ['valueStringList', 'value'],
      ['valueNumber', 'value'],
      ['valueNumberRange', 'value'],
      ['valueCompensationRange', 'value'],
      ['additionalProperties', 'additionalProperties'],
    ]);
  });
});
