import { fromStreamRecord, toStreamRecord } from '../../src/avro/mapping/stream-mapping.js';
import { loadContract } from '../../src/avro/contract.js';
import { AvroMappingError } from '../../src/avro/errors.js';
import { findViolation } from '../../src/avro/schema.js';
import { recordedRecords } from './recorded.js';
import { APPLICATION, CANDIDATE, CUSTOM_FIELD_VALUES } from './samples.js';

const contract = loadContract();

/** Every catch-all in a mapped value, by path, so tests can say exactly what lands there. */
function catchAlls(v: unknown, path: string, out: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(v)) v.forEach((x, i) => catchAlls(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object' && !(v instanceof Date)) {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'additionalProperties') {
        if (x !== null) out[path || '(root)'] = x;
      } else catchAlls(x, path ? `${path}.${k}` : k, out);
    }
  }
  return out;
}

describe('every recorded Ashby record', () => {
  const records = recordedRecords();

  it('covers the recordings (list items and single records)', () => {
    expect(records.length).toBe(271);
    expect(new Set(records.map((r) => r.stream))).toEqual(
      new Set([
        'applications',
        'candidates',
        'candidate_notes',
        'departments',
        'interviews',
        'job_postings',
        'jobs',
        'sources',
        'users',
      ]),
    );
  });

  it.each(records.map((r, i) => [`${r.file} #${i} (${r.stream})`, r] as const))(
    '%s maps to a valid record and back to the same JSON',
    (_, r) => {
      const value = toStreamRecord(r.stream, r.record);
      expect(findViolation(contract.streamType(r.stream), value)).toBeUndefined();
      expect(fromStreamRecord(r.stream, value)).toEqual(r.record);
    },
  );

  it('leaves the catch-alls empty except for these documented exceptions', () => {
    const seen: Record<string, unknown> = {};
    for (const r of records) {
      for (const [path, extra] of Object.entries(catchAlls(toStreamRecord(r.stream, r.record), '', {}))) {
        seen[`${r.endpoint} ${path}`] = extra;
      }
    }
    expect(seen).toEqual({
      // Write responses trim the stage; list responses always send interviewStageGroupId (null when unset).
      'application.create currentInterviewStage': { $absent: ['interviewStageGroupId'] },
      'application.update currentInterviewStage': { $absent: ['interviewStageGroupId'] },
      'application.changeSource currentInterviewStage': { $absent: ['interviewStageGroupId'] },
      // The anonymiser replaced the posting date with a phone-number-like string: kept verbatim.
      'jobPosting.list (root)': { publishedDate: '+10000000001' },
      'jobPosting.info (root)': { publishedDate: '+10000000002' },
    });
  });
});

describe('custom fields', () => {
  it('keep every value shape of docs/ashby-api.md §5.2 in its own typed field, with labels', () => {
    const value = toStreamRecord('candidates', CANDIDATE);
    const fields = (value.customFields as Array<Record<string, unknown>>).map((f) =>
      Object.fromEntries(Object.entries(f).filter(([k, v]) => k.startsWith('value') && v !== null)),
    );
    expect(fields).toEqual([
      { valueBoolean: true },
      { valueNumber: 7.5 },
      { valueString: 'Prefers mornings' },
      { valueString: 'senior', valueLabel: 'Senior' },
      { valueStringList: ['ts', 'go'], valueLabels: ['TypeScript', 'Go'] },
      { valueCurrency: { value: 120000, currencyCode: 'EUR', additionalProperties: null } },
      { valueNumberRange: { type: 'number-range', minValue: 3, maxValue: 8, additionalProperties: null } },
      {
        valueCompensationRange: {
          type: 'compensation-range',
          minValue: 100000,
          maxValue: 140000,
          currencyCode: 'USD',
          interval: '1 YEAR',
          additionalProperties: null,
        },
      },
      { valueString: '2025-03-01T00:00:00.000Z' },
    ]);
    expect(fromStreamRecord('candidates', value).customFields).toEqual(CUSTOM_FIELD_VALUES);
  });

  it('keep a value shape Ashby adds later in the catch-all', () => {
    const odd = { id: 'cf000000-0000-4000-8000-00000000000a', title: 'Geo', value: { lat: 51.5, lng: -0.1 } };
    const value = toStreamRecord('candidates', { ...CANDIDATE, customFields: [odd] });
    expect((value.customFields as Array<Record<string, unknown>>)[0]!.additionalProperties).toEqual({
      value: { lat: 51.5, lng: -0.1 },
    });
    expect(fromStreamRecord('candidates', value).customFields).toEqual([odd]);
  });
});

describe('lossless mapping', () => {
  it('converts instants to Dates and restores the exact text', () => {
    const value = toStreamRecord('applications', APPLICATION);
    expect(value.createdAt).toEqual(new Date('2025-03-01T10:00:00.050Z'));
    expect(value.additionalProperties).toBeNull();
    expect(fromStreamRecord('applications', value)).toEqual(APPLICATION);
  });

  it('keeps an instant written in another ISO form in the catch-all, so the text round-trips', () => {
    const value = toStreamRecord('applications', { ...APPLICATION, updatedAt: '2025-03-05T10:00:00+01:00' });
    expect(value.updatedAt).toEqual(new Date('2025-03-05T09:00:00.000Z'));
    expect(value.additionalProperties).toEqual({ updatedAt: '2025-03-05T10:00:00+01:00' });
    expect(fromStreamRecord('applications', value).updatedAt).toBe('2025-03-05T10:00:00+01:00');
  });

  it('puts unknown fields, top-level and nested, into the catch-all of their object', () => {
    const input = {
      ...APPLICATION,
      newTopLevel: { nested: [1, 2] },
      job: { ...(APPLICATION.job as object), requisitionCode: 'R-7' },
    };
    const value = toStreamRecord('applications', input);
    expect(value.additionalProperties).toEqual({ newTopLevel: { nested: [1, 2] } });
    expect((value.job as Record<string, unknown>).additionalProperties).toEqual({ requisitionCode: 'R-7' });
    expect(fromStreamRecord('applications', value)).toEqual(input);
  });

  it('tells null from absent: each field knows which one Ashby uses, the exceptions travel in the catch-all', () => {
    const { timezone: _omitted, ...withoutTimezone } = CANDIDATE;
    const input = { ...withoutTimezone, position: null };
    const value = toStreamRecord('candidates', input);
    expect(value.timezone).toBeNull();
    expect(value.position).toBeNull();
    expect(value.additionalProperties).toEqual({ position: null, $absent: ['timezone'] });
    const back = fromStreamRecord('candidates', value);
    expect(back).toEqual(input);
    expect('timezone' in back).toBe(false);
    expect(back.position).toBeNull();
  });

  it('keeps a value of the wrong type on an optional field verbatim in the catch-all', () => {
    const input = { ...CANDIDATE, company: { name: 'Analytical Engines' } };
    const value = toStreamRecord('candidates', input);
    expect(value.company).toBeNull();
    expect(value.additionalProperties).toEqual({ company: { name: 'Analytical Engines' } });
    expect(fromStreamRecord('candidates', value)).toEqual(input);
  });

  it('adds the parent id of child streams when the reader supplies it', () => {
    const note = {
      id: 'n1',
      createdAt: '2025-01-01T00:00:00.000Z',
      isPrivate: false,
      content: 'hi',
      author: { id: 'u1', firstName: 'A', lastName: 'B' },
      candidateId: 'c1',
    };
    const value = toStreamRecord('candidate_notes', note);
    expect(value.candidateId).toBe('c1');
    expect(fromStreamRecord('candidate_notes', value)).toEqual(note);
  });
});

describe('records that cannot be mapped', () => {
  it.each([
    ['a missing required field', { ...APPLICATION, status: undefined }, 'status', 'is required but missing'],
    ['null in a required field', { ...APPLICATION, hiringTeam: null }, 'hiringTeam', 'is required but null'],
    [
      'a wrong type deep inside',
      { ...APPLICATION, hiringTeam: [{ userId: 'u', firstName: 'a', lastName: 'b', email: 'e', role: 7 }] },
      'hiringTeam[0].role',
      'must be a string, got number 7',
    ],
    [
      'a non-instant in a required timestamp',
      { ...APPLICATION, createdAt: 'yesterday' },
      'createdAt',
      'must be an ISO-8601 instant with a zone',
    ],
  ])('fail with AVRO_MAPPING_FAILED naming the path: %s', (_, input, path, problem) => {
    let error: unknown;
    try {
      toStreamRecord('applications', input as Record<string, unknown>);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AvroMappingError);
    expect(error).toMatchObject({ code: 'AVRO_MAPPING_FAILED', retriable: false, path });
    expect((error as Error).message).toContain(
      `applications record 9b2d3c4e-1111-4a2b-8c3d-000000000001: field ${path} ${problem}`,
    );
  });
});
