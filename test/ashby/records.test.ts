import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { classifyResponse } from '../../src/ashby/classify.js';
import { REQUEST_SCHEMAS, RESULT_SCHEMAS } from '../../src/ashby/records/index.js';
import { RecordValidator, checkRecord } from '../../src/ashby/validate.js';
import { createLogger } from '../../src/log/logger.js';
import {
  RECORDED_DIR,
  flatten,
  requestSchema,
  resultsSchema,
  specEndpoints,
  type RecordedExchange,
} from './spec-helpers.js';

/**
 * Our record types against Ashby's OpenAPI document and against real recorded traffic:
 * - every property we declare exists in the spec at that place (or is marked x-notInSpec with its evidence);
 * - every property the spec requires exists in ours, and is required unless marked x-loosened;
 * - nothing we require is optional in the spec (it would reject real payloads);
 * - every enum value the spec lists is accepted;
 * - every recorded response parses into our types, and cleaning to our types loses nothing.
 */
type S = TSchema & {
  properties?: Record<string, S>;
  required?: string[];
  items?: S;
  anyOf?: S[];
  patternProperties?: unknown;
  const?: unknown;
};

function marker(schema: S, key: 'x-notInSpec' | 'x-loosened'): string | undefined {
  return (
    (schema as Record<string, string>)[key] ??
    schema.anyOf?.map((m) => (m as Record<string, string>)[key]).find(Boolean)
  );
}

/** Strip `| null`; a union of several real members is compared member by member where they are objects. */
function nonNull(schema: S): S[] {
  if (schema.anyOf) return schema.anyOf.filter((m) => m[Kind] !== 'Null').flatMap(nonNull);
  return [schema];
}

function literals(members: S[]): string[] | undefined {
  if (members.length > 0 && members.every((m) => m[Kind] === 'Literal')) return members.map((m) => String(m.const));
  return undefined;
}

function compare(mine: S, spec: unknown, path: string, problems: string[], inUnion = false): void {
  const members = nonNull(mine);
  // With several real members (e.g. custom field values) the spec's variants are merged, so
  // only property names can be compared, not which variant requires what.
  const loose = inUnion || members.length > 1;
  const f = flatten(spec);
  const values = literals(members);
  if (values && f.enum) {
    for (const v of f.enum)
      if (v !== null && !values.includes(String(v)))
        problems.push(`${path}: spec enum value "${String(v)}" not accepted`);
    return;
  }
  for (const m of members) {
    if (m[Kind] === 'Object' && m.properties) {
      if (f.properties.size === 0) {
        // The spec declares no properties here (free-form); ours may only add evidenced ones.
        for (const [k, v] of Object.entries(m.properties))
          if (!marker(v, 'x-notInSpec')) problems.push(`${path}.${k}: spec declares no properties here`);
        continue;
      }
      const required = new Set(m.required ?? []);
      for (const [k, v] of Object.entries(m.properties)) {
        const specProp = f.properties.get(k);
        if (!specProp) {
          if (!marker(v, 'x-notInSpec')) problems.push(`${path}.${k}: not in the spec`);
          continue;
        }
        if (!loose && required.has(k) && !f.required.has(k))
          problems.push(`${path}.${k}: required here but optional in the spec`);
        compare(v, specProp, `${path}.${k}`, problems);
      }
      for (const r of loose ? [] : f.required) {
        if (!(r in m.properties)) problems.push(`${path}.${r}: required by the spec but missing`);
        else if (!required.has(r) && !marker(m.properties[r]!, 'x-loosened'))
          problems.push(`${path}.${r}: required by the spec but optional here`);
      }
    } else if (m[Kind] === 'Array' && m.items) {
      if (f.items.length) compare(m.items, { allOf: f.items }, `${path}[]`, problems);
    }
  }
}

describe('record types vs openapi.yml', () => {
  const inSpec = Object.entries(RESULT_SCHEMAS).filter(([e]) => specEndpoints().includes(e));

  it('types every endpoint the source and destination call, and only endpoints that exist', () => {
    const notInSpec = Object.keys(RESULT_SCHEMAS).filter((e) => !specEndpoints().includes(e));
    expect(notInSpec).toEqual(['offer.setStatus']);
  });

  it.each(inSpec)('results of %s match the spec', (endpoint, schema) => {
    const problems: string[] = [];
    compare(schema as S, resultsSchema(endpoint), endpoint, problems);
    expect(problems).toEqual([]);
  });

  it.each(Object.entries(REQUEST_SCHEMAS).filter(([e]) => specEndpoints().includes(e)))(
    'request body of %s matches the spec',
    (endpoint, schema) => {
      const problems: string[] = [];
      compare(schema as S, requestSchema(endpoint), `${endpoint} body`, problems);
      expect(problems).toEqual([]);
    },
  );

  it('the checker itself catches a missing required field and an unknown property', () => {
    const problems: string[] = [];
    const fake = { ...RESULT_SCHEMAS['department.info'] } as S;
    fake.properties = { ...fake.properties!, bogus: Type.String() as S };
    delete fake.properties.name;
    compare(fake, resultsSchema('department.info'), 'department.info', problems);
    expect(problems).toEqual([
      'department.info.bogus: not in the spec',
      'department.info.name: required by the spec but missing',
    ]);
  });
});

function recordings(): { file: string; exchange: RecordedExchange }[] {
  return readdirSync(RECORDED_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((file) =>
      (JSON.parse(readFileSync(join(RECORDED_DIR, file), 'utf8')) as RecordedExchange[]).map((exchange) => ({
        file,
        exchange,
      })),
    );
}

describe('recorded exchanges parse into the typed records without loss', () => {
  const all = recordings();

  it('there are recordings to check', () => {
    expect(all.length).toBeGreaterThanOrEqual(31);
  });

  it.each(all.map((r) => [`${r.file} ${r.exchange.path}`, r.exchange] as const))('%s', (_label, exchange) => {
    const endpoint = exchange.path.replace(/^\//, '');
    const schema = RESULT_SCHEMAS[endpoint];
    expect(Object.keys(RESULT_SCHEMAS)).toContain(endpoint);
    // Through the client's own parsing path: raw body → envelope → results → checked records.
    const { envelope, requestId } = classifyResponse(endpoint, {
      status: exchange.status,
      headers: exchange.headers,
      body: JSON.stringify(exchange.response),
    });
    expect(requestId).toBe(exchange.headers['x-ashby-request-id']);
    const strict = new RecordValidator('strict', createLogger({ level: 'silent' }));
    const results = strict.check<unknown>(endpoint, envelope.results, requestId);
    const records = Array.isArray(results) ? results : [results];
    for (const record of records) {
      expect(checkRecord(schema!, record)).toEqual([]);
      // Cleaning to our type drops every property the type does not know: nothing may go.
      expect(Value.Clean(schema!, structuredClone(record))).toEqual(record);
    }
    expect(JSON.parse(JSON.stringify(results))).toEqual(exchange.response.results);
  });
});

describe('RecordValidator', () => {
  it('passes an unexpected record through unchanged in warn mode and warns once per kind of mismatch', () => {
    const lines: string[] = [];
    const v = new RecordValidator('warn', createLogger({ write: (l) => lines.push(l) }));
    const odd = { id: 'd1', name: 'Eng', isArchived: 'no', createdAt: 'x', updatedAt: 'y', newField: 1 };
    expect(v.check('department.info', odd)).toBe(odd);
    v.check('department.info', { ...odd });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'warn',
      endpoint: 'department.info',
      issues: [{ path: '/isArchived' }],
    });
  });

  it('throws ASHBY_UNEXPECTED_SHAPE in strict mode and does nothing when off', () => {
    const quiet = createLogger({ level: 'silent' });
    expect(() => new RecordValidator('strict', quiet).check('department.info', { id: 1 })).toThrow(
      /department\.info returned a record that does not match/,
    );
    expect(new RecordValidator('off', quiet).check('department.info', { id: 1 })).toEqual({ id: 1 });
  });
});
