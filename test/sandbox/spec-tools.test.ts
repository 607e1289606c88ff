import { readFileSync } from 'node:fs';
import { derivePermissionMap } from '../../src/sandbox/auth/derive-permissions.js';
import { SPEC_PERMISSIONS } from '../../src/sandbox/auth/permission-map.js';
import { OpenApiValidator, SPEC_PATH } from './helpers/openapi-validator.js';
import { RecordedDeviations, loadRecordings } from './helpers/recordings.js';
import { compareEnvelope, compareRecords, familyKnowledge } from './helpers/shape-compare.js';

/** The tools the conformance tests rely on must be able to fail. */

const specText = readFileSync(SPEC_PATH, 'utf8');
const validator = new OpenApiValidator(specText);

describe('permission map', () => {
  it('is exactly what the spec\'s "Requires" lines say', () => {
    // Derived from src/ashby/permissions.json (regenerate that with UPDATE_ASHBY_PERMISSIONS=1).
    const derived = derivePermissionMap(specText);
    expect(SPEC_PERMISSIONS).toEqual(Object.fromEntries(Object.entries(derived).map(([k, v]) => [k, v.permission])));
    expect(Object.keys(SPEC_PERMISSIONS)).toHaveLength(164);
  });

  it("maps known endpoints to the documented modules, fixing the spec's candidateWrite typo", () => {
    expect(SPEC_PERMISSIONS['candidate.list']).toBe('candidatesRead');
    expect(SPEC_PERMISSIONS['offerProcess.start']).toBe('offersWrite');
    expect(SPEC_PERMISSIONS['interviewerPool.list']).toBe('hiringProcessMetadataRead');
    expect(SPEC_PERMISSIONS['application.addHiringTeamMember']).toBe('candidatesWrite');
    expect(SPEC_PERMISSIONS['assessment.start']).toBeNull();
  });
});

describe('OpenAPI validator', () => {
  const candidateList = validator.successSchema('candidate.list');
  const good = {
    success: true,
    moreDataAvailable: false,
    results: [
      {
        id: '3f0c1c1e-5b7a-4f5e-9a51-2f1b6f0f9a01',
        name: 'Ada',
        emailAddresses: [],
        phoneNumbers: [],
        socialLinks: [],
        tags: [],
        applicationIds: [],
        fileHandles: [],
        profileUrl: 'https://x',
        fraudStatus: null,
      },
    ],
  };

  it('accepts a valid response', () => {
    expect(validator.validate(candidateList, good)).toEqual([]);
  });

  it.each([
    [
      'a missing required field',
      { ...good, results: [{ ...good.results[0], name: undefined }] },
      'results[0].name',
      'required',
    ],
    ['a wrong type', { ...good, moreDataAvailable: 'no' }, 'moreDataAvailable', 'type'],
    ['an id that is not a uuid', { ...good, results: [{ ...good.results[0], id: 'abc' }] }, 'results[0].id', 'format'],
    [
      'a value outside an enum',
      { ...good, results: [{ ...good.results[0], fraudStatus: 'Maybe' }] },
      'results[0].fraudStatus',
      'enum',
    ],
    [
      'null where the spec does not allow it',
      { ...good, results: [{ ...good.results[0], source: null }] },
      'results[0].source',
      'null',
    ],
    [
      'an array item of the wrong shape',
      { ...good, results: [{ ...good.results[0], tags: [{ id: 'x' }] }] },
      'results[0].tags[0].title',
      'required',
    ],
    [
      'a bad timestamp',
      { ...good, results: [{ ...good.results[0], createdAt: '2024-01-01 10:00' }] },
      'results[0].createdAt',
      'format',
    ],
  ])('rejects %s', (_name, value, path, kind) => {
    const issues = validator.validate(candidateList, JSON.parse(JSON.stringify(value)));
    expect(issues).toContainEqual(expect.objectContaining({ path, kind }));
  });

  it('rejects a custom field value that matches no oneOf branch', () => {
    const bad = {
      ...good,
      results: [{ ...good.results[0], customFields: [{ id: good.results[0]!.id, title: 'X', value: [1, 2] }] }],
    };
    expect(validator.validate(candidateList, bad)).toContainEqual(
      expect.objectContaining({ path: 'results[0].customFields[0].value', kind: 'oneOf' }),
    );
  });

  it('rejects additional properties where the spec forbids them', () => {
    const request = (validator.spec.paths as any)['/offer.startApprovalProcess'].post.requestBody.content[
      'application/json'
    ].schema;
    expect(validator.validate(request, { offerVersionId: good.results[0]!.id, extra: 1 })).toContainEqual(
      expect.objectContaining({ path: 'extra', kind: 'additional' }),
    );
  });

  it('checks error envelopes, including endpoint-specific error codes', () => {
    expect(validator.validate(validator.errorSchema(), { success: false, errorInfo: { code: 'x' } })).toContainEqual(
      expect.objectContaining({ path: 'errors', kind: 'required' }),
    );
    const stage = validator.errorSchema('application.changeStage');
    expect(
      validator.validate(stage, { success: false, errors: ['invalid_input'], errorInfo: { code: 'invalid_input' } }),
    ).toEqual([]);
    expect(
      validator.validate(stage, { success: false, errors: ['made_up_code'], errorInfo: { code: 'made_up_code' } }),
    ).not.toEqual([]);
  });
});

describe('recorded deviations from the spec', () => {
  const deviations = new RecordedDeviations(validator, loadRecordings());

  it('are only nulls and, on the slim write responses, omitted fields', () => {
    expect(new Set(deviations.all.map((d) => d.kind))).toEqual(new Set(['null', 'required']));
    expect(deviations.all).toContainEqual({ endpoint: 'candidate.list', path: 'creditedToUser', kind: 'null' });
    expect(deviations.all).toContainEqual({
      endpoint: 'application.create',
      path: 'currentInterviewStage.title',
      kind: 'required',
    });
  });

  it('allow a recorded null for the whole record kind, an omission only on its endpoint', () => {
    expect(deviations.allows('candidate.search', { path: 'results[0].timezone', kind: 'null', message: '' })).toBe(
      true,
    );
    expect(deviations.allows('candidate.search', { path: 'results[0].name', kind: 'null', message: '' })).toBe(false);
    expect(
      deviations.allows('application.create', {
        path: 'results.currentInterviewStage.title',
        kind: 'required',
        message: '',
      }),
    ).toBe(true);
    expect(
      deviations.allows('application.list', {
        path: 'results[0].currentInterviewStage.title',
        kind: 'required',
        message: '',
      }),
    ).toBe(false);
  });
});

describe('shape comparison', () => {
  const recorded = [
    { id: 'a', source: null, position: 'x', tags: [], stage: { id: 's', title: 't' } },
    { id: 'b', source: null, tags: [], stage: { id: 's', title: 't' } },
  ];
  const family = familyKnowledge([recorded]);
  const same = [{ id: 'c', source: null, position: 'y', tags: [{ id: 't1' }], stage: { id: 's2', title: 'u' } }];

  it('accepts different values of the same shape (and items in arrays the recording left empty)', () => {
    expect(compareRecords(recorded, same, family)).toEqual([]);
  });

  it.each([
    ['a field the recording never sends', [{ ...same[0], extra: 1 }], 'extra: the sandbox sends it'],
    [
      'an always-present field left out',
      [{ id: 'c', source: null, tags: [], stage: { id: 's' } }],
      'stage.title: always present',
    ],
    ['a null field omitted', [{ id: 'c', tags: [], stage: { id: 's', title: 't' } }], 'source: always present'],
    ['a type change', [{ ...same[0], position: 5 }], 'position: the sandbox sends number'],
    [
      'a nested field the recording never sends',
      [{ ...same[0], stage: { id: 's', title: 't', type: 'Active' } }],
      'stage.type: the sandbox sends it',
    ],
  ])('reports %s', (_name, sandbox, problem) => {
    expect(compareRecords(recorded, sandbox, family).join('\n')).toContain(problem);
  });

  it('compares envelope keys and types exactly', () => {
    expect(
      compareEnvelope(
        { success: true, results: [], moreDataAvailable: true, nextCursor: 'x' },
        { success: true, results: [], moreDataAvailable: false },
      ),
    ).toEqual(['envelope.nextCursor: recorded, missing from the sandbox']);
    expect(compareEnvelope({ success: true, results: [] }, { success: true, results: {} })).toEqual([
      'envelope.results: object vs recorded array',
    ]);
  });
});
