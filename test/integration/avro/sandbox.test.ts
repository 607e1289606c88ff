import { request } from 'undici';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { loadContract } from '../../../src/avro/contract.js';
import { createSerde } from '../../../src/avro/serde/create-serde.js';
import type { Serde } from '../../../src/avro/serde/serde.js';
import { fromStreamRecord, toStreamRecord } from '../../../src/avro/mapping/stream-mapping.js';
import { STREAM_SPECS } from '../../../tools/avro-generate/stream-specs.js';
import { REGISTRY_URL, uniqueName } from '../../support/stack.js';

/**
 * Every stream's sandbox sample, fetched over HTTP from the local Ashby, maps losslessly and
 * round-trips through both wire formats deep-equal to its mapping.
 */
const contract = loadContract();
let sandbox: RunningSandbox;
let single: Serde;
let confluent: Serde;
const prefix = uniqueName('sandbox');

type Json = Record<string, unknown>;

async function call(endpoint: string, body: Json): Promise<Json> {
  const res = await request(`${sandbox.url}/${endpoint}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${sandbox.keys.full}:`).toString('base64')}`,
      'content-type': 'application/json',
      accept: 'application/json; version=1',
    },
    body: JSON.stringify(body),
  });
  const json = (await res.body.json()) as Json;
  if (res.statusCode !== 200 || json.success !== true)
    throw new Error(
      `${endpoint} ${JSON.stringify(body)}: HTTP ${res.statusCode} ${JSON.stringify(json).slice(0, 300)}`,
    );
  return json;
}

async function firstId(endpoint: string, body: Json = {}): Promise<string> {
  const results = (await call(endpoint, { limit: 100, ...body })).results as Json[];
  if (!results.length) throw new Error(`${endpoint} returned no records`);
  return String(results[0]!.id);
}

/** The first parent (of `parentList`) whose child list is not empty. */
async function parentWithChildren(
  parentList: string,
  endpoint: string,
  param: string,
  body: Json = {},
): Promise<string> {
  for (const parent of (await call(parentList, { limit: 100 })).results as Json[]) {
    if (((await call(endpoint, { ...body, [param]: parent.id })).results as Json[]).length) return String(parent.id);
  }
  throw new Error(`no ${parentList} record has ${endpoint} records`);
}

/** Request body of each stream's first page; child streams name their first parent. */
async function bodyFor(stream: string): Promise<{ body: Json; parent?: [string, string] }> {
  switch (stream) {
    case 'interview_stages':
      return { body: { interviewPlanId: await firstId('interviewPlan.list') } };
    case 'interview_events':
      return { body: { interviewScheduleId: await firstId('interviewSchedule.list') } };
    case 'application_history': {
      const applicationId = await firstId('application.list');
      return { body: { applicationId }, parent: ['applicationId', applicationId] };
    }
    case 'candidate_notes': {
      const candidateId = await firstId('candidate.list');
      return { body: { candidateId }, parent: ['candidateId', candidateId] };
    }
    case 'hiring_team_roles':
      return { body: { namesOnly: false } };
    case 'survey_requests':
    case 'survey_submissions':
      return { body: { surveyType: 'CandidateExperience' } };
    case 'source_tracking_links':
      return { body: { includeDisabled: true } };
    case 'application_criteria_evaluations': {
      const applicationId = await parentWithChildren(
        'application.list',
        'application.listCriteriaEvaluations',
        'applicationId',
      );
      return { body: { applicationId }, parent: ['applicationId', applicationId] };
    }
    case 'candidate_projects': {
      const candidateId = await parentWithChildren('candidate.list', 'candidate.listProjects', 'candidateId');
      return { body: { candidateId }, parent: ['candidateId', candidateId] };
    }
    case 'candidate_client_info':
      return {
        body: { candidateId: await parentWithChildren('candidate.list', 'candidate.listClientInfo', 'candidateId') },
      };
    case 'candidate_fraud_checks':
      return {
        body: { candidateId: await parentWithChildren('candidate.list', 'candidate.listFraudChecks', 'candidateId') },
      };
    case 'user_interviewer_pauses':
      return { body: { userId: await parentWithChildren('user.list', 'user.listInterviewerPauses', 'userId') } };
    default:
      return { body: {} };
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ scale: 40 });
  single = createSerde({ mode: 'single-object' }, contract);
  confluent = createSerde({ mode: 'confluent', registry: { url: REGISTRY_URL } }, contract);
});

afterAll(async () => {
  await confluent?.close();
  await sandbox?.close();
});

/** Catch-all contents of a mapped value, by path. */
function catchAlls(v: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(v)) v.forEach((x) => catchAlls(x, `${path}[]`, out));
  else if (v && typeof v === 'object' && !(v instanceof Date)) {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'additionalProperties') {
        if (x !== null) out.push(`${path}: ${JSON.stringify(x).slice(0, 120)}`);
      } else catchAlls(x, `${path}.${k}`, out);
    }
  }
  return out;
}

describe('sandbox samples', () => {
  it.each(STREAM_SPECS.map((s) => [s.stream, s.endpoint]))(
    '%s (%s) round-trips losslessly through both wire formats',
    async (stream, endpoint) => {
      const { body, parent } = await bodyFor(stream);
      const results = (await call(endpoint, { ...body })).results as Json[];
      expect(results.length).toBeGreaterThan(0);
      const type = contract.streamType(stream);
      for (const raw of results.slice(0, 25)) {
        const record = parent ? { ...raw, [parent[0]]: parent[1] } : raw;
        const value = toStreamRecord(stream, record);
        expect(fromStreamRecord(stream, value)).toEqual(record);
        // The sandbox mimics Ashby: everything it sends has a typed field, with Ashby's null/absent habits.
        expect(catchAlls(value, stream, [])).toEqual([]);
        for (const serde of [single, confluent]) {
          const bytes = await serde.encodeValue(`${prefix}.${stream}`, type, value);
          expect(await serde.decodeValue(`${prefix}.${stream}`, bytes, type)).toEqual(value);
        }
      }
    },
  );
});
