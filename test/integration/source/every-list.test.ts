import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HEADERS } from '../../../src/source/headers.js';
import type { CandidateModel, ApplicationModel } from '../../../src/sandbox/data/models.js';
import type { SurveyRequestModel } from '../../../src/sandbox/data/candidate-extras.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import type { EntityName } from '../../../src/sandbox/store/entities.js';
import { ViewContext } from '../../../src/sandbox/views/context.js';
import { EXPECTED_STREAMS } from '../../support/streams.js';
import { captureLogger, readTopic, registrySerde, runPass, sourceConfig, storedIds } from './helpers.js';

/**
 * The streams of issue 21 (the 14 list endpoints that had none): each topic holds exactly the
 * records the key may see, compared with the sandbox's store; later passes produce only what
 * changed; a stream whose org feature is missing is skipped with one warning unless listed.
 */
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 21, scale: 120, pageSize: { maxPerPage: 20, emptyPageEvery: 0 } });
});
afterAll(async () => {
  await sandbox.close();
});

const TOP_LEVEL: Record<string, EntityName> = {
  brands: 'brand',
  communication_templates: 'communicationTemplate',
  interview_stage_groups: 'interviewStageGroup',
  job_boards: 'jobBoard',
  source_tracking_links: 'sourceTrackingLink',
  survey_requests: 'surveyRequest',
  survey_submissions: 'surveySubmission',
  assessments: 'assessment',
  application_hiring_team_roles: 'applicationHiringTeamRole',
};
const CHILDREN: Record<string, EntityName> = {
  application_criteria_evaluations: 'criteriaEvaluation',
  candidate_client_info: 'clientInfo',
  candidate_fraud_checks: 'fraudCheck',
  user_interviewer_pauses: 'interviewerPause',
};

/** candidate_projects keys: candidateId:projectId for every project each candidate is on. */
function candidateProjectKeys(): Set<string> {
  const out = new Set<string>();
  for (const id of storedIds(sandbox.engine, 'candidate')) {
    for (const p of sandbox.engine.store.get<CandidateModel>('candidate', id)!.projectIds) out.add(`${id}:${p}`);
  }
  return out;
}

/** Passes are told apart by the run id each record carries (source.headers asks for it). */
const RUN_ID_HEADER = { headers: [HEADERS.runId] };

async function runKeys(topic: string, runId?: string): Promise<string[]> {
  return (await readTopic(topic))
    .filter((r) => runId === undefined || r.headers[HEADERS.runId] === runId)
    .map((r) => r.key)
    .sort();
}

describe('source: every Ashby list', () => {
  it('fills each new stream with exactly the stored records, keyed as declared and decodable through the registry', async () => {
    const streams = [...Object.keys(TOP_LEVEL), ...Object.keys(CHILDREN), 'candidate_projects'];
    const config = sourceConfig({ extra: RUN_ID_HEADER, url: sandbox.url, key: sandbox.keys.full, streams });
    const result = await runPass(config);
    expect(result.error).toBeUndefined();
    const serde = registrySerde();
    try {
      for (const p of result.streams) {
        expect({ stream: p.stream, phase: p.phase }).toEqual({ stream: p.stream, phase: 'done' });
        const keys = await runKeys(p.topic);
        expect(keys.length).toBe(p.records);
        const entity = TOP_LEVEL[p.stream] ?? CHILDREN[p.stream];
        const expected = entity ? storedIds(sandbox.engine, entity) : candidateProjectKeys();
        expect(expected.size).toBeGreaterThan(0);
        expect({ stream: p.stream, keys: new Set(keys) }).toEqual({ stream: p.stream, keys: expected });
        const first = (await readTopic(p.topic))[0]!;
        const value = (await serde.decodeValue(p.topic, first.value)) as Record<string, unknown>;
        if (p.stream === 'assessments') expect(value.assessment_type_id).toBe(first.key);
        else if (p.stream === 'candidate_projects') expect(`${value.candidateId}:${value.id}`).toBe(first.key);
        else expect(value.id).toBe(first.key);
        if (p.stream === 'application_criteria_evaluations') expect(typeof value.applicationId).toBe('string');
      }
    } finally {
      await serde.close();
    }
  });

  it('gives the read-only key only the survey requests and candidate projects of what it may see', async () => {
    const config = sourceConfig({
      extra: RUN_ID_HEADER,
      url: sandbox.url,
      key: sandbox.keys.readonly,
      streams: ['survey_requests', 'candidate_projects'],
    });
    const result = await runPass(config);
    expect(result.error).toBeUndefined();
    const view = new ViewContext(sandbox.engine.store, { confidential: false, privateFields: false });
    const requests = [...storedIds(sandbox.engine, 'surveyRequest')].filter((id) =>
      view.applicationVisible(sandbox.engine.store.get<SurveyRequestModel>('surveyRequest', id)!.applicationId),
    );
    const projects = [...candidateProjectKeys()].filter((k) => {
      const [candidateId, projectId] = k.split(':');
      return (
        view.candidateVisible(sandbox.engine.store.get<CandidateModel>('candidate', candidateId)!) &&
        view.projectVisible(sandbox.engine.store.get('project', projectId) as never)
      );
    });
    expect(requests.length).toBeLessThan(storedIds(sandbox.engine, 'surveyRequest').size);
    const prefix = config.source!.topic_prefix;
    expect(await runKeys(`${prefix}survey_requests`)).toEqual(requests.sort());
    expect(await runKeys(`${prefix}candidate_projects`)).toEqual(projects.sort());
  });

  it('produces only what changed on the next pass: by sync token, by record digest, and through changed parents', async () => {
    // In catalog order, as the pass reports them.
    const streams = [
      'survey_requests',
      'job_boards',
      'source_tracking_links',
      'brands',
      'candidate_client_info',
      'user_interviewer_pauses',
    ];
    const config = sourceConfig({ extra: RUN_ID_HEADER, url: sandbox.url, key: sandbox.keys.full, streams });
    expect((await runPass(config)).error).toBeUndefined();
    const idle = await runPass(config);
    expect(idle.streams.map((s) => [s.stream, s.mode, s.records])).toEqual(streams.map((s) => [s, 'incremental', 0]));

    const brand = [...storedIds(sandbox.engine, 'brand')][1]!;
    const link = [...storedIds(sandbox.engine, 'sourceTrackingLink')][0]!;
    const request = [...storedIds(sandbox.engine, 'surveyRequest')][4]!;
    const pause = [...storedIds(sandbox.engine, 'interviewerPause')][0]!;
    const candidate = [...storedIds(sandbox.engine, 'candidate')].find(
      (id) => sandbox.engine.store.get<CandidateModel>('candidate', id)!.applicationIds.length > 0,
    )!;
    const app = sandbox.engine.store.get<ApplicationModel>(
      'application',
      sandbox.engine.store.get<CandidateModel>('candidate', candidate)!.applicationIds[0],
    )!;
    sandbox.admin.advanceClock(60_000);
    sandbox.admin.update('brand', brand, { name: 'Acme Labs Europe' }); // brand.list: cursor only → digest
    sandbox.admin.update('sourceTrackingLink', link, { enabled: false }); // single response → digest
    sandbox.admin.update('surveyRequest', request, { surveyUrl: 'https://app.ashbyhq.com/survey/renewed' }); // sync token
    sandbox.admin.update('interviewerPause', pause, { comment: 'Extended' }); // every user re-read → digest
    // A new client info record, and its candidate touched: children of changed parents are re-read.
    const info = sandbox.admin.create('clientInfo', { candidateId: candidate, relatedEntityId: app.id }) as {
      id: string;
    };
    sandbox.admin.update('candidate', candidate, { name: 'Returned Applicant' });

    const second = await runPass(config);
    expect(second.error).toBeUndefined();
    const prefix = config.source!.topic_prefix;
    const produced = Object.fromEntries(
      await Promise.all(streams.map(async (s) => [s, await runKeys(`${prefix}${s}`, second.runId)] as const)),
    );
    const unchangedInfo = [...storedIds(sandbox.engine, 'clientInfo')].filter(
      (id) =>
        (sandbox.engine.store.get('clientInfo', id) as { candidateId: string }).candidateId === candidate &&
        id !== info.id,
    );
    expect(produced).toEqual({
      brands: [brand],
      source_tracking_links: [link],
      survey_requests: [request],
      job_boards: [],
      // A child stream of a sync-token parent re-produces every child of each changed parent.
      candidate_client_info: [info.id, ...unchangedInfo].sort(),
      user_interviewer_pauses: [pause],
    });
  });
});

describe('source: streams that need an org feature', () => {
  let lacking: RunningSandbox;
  beforeAll(async () => {
    lacking = await startSandbox({
      seed: 21,
      scale: 40,
      features: { surveys: false, assessments: false, aiApplicationReview: false, fraudDetection: false },
      keys: [{ name: 'org_only', permissions: ['organizationRead', 'apiKeysRead'] }],
    });
  });
  afterAll(async () => {
    await lacking.close();
  });

  it('skips each feature stream of `all` with one warning, and reads the others', async () => {
    const config = sourceConfig({ extra: RUN_ID_HEADER, url: lacking.url, key: lacking.keys.full });
    // Keep the pass to the feature streams and one stream that needs no feature.
    const kept = ['survey_requests', 'survey_submissions', 'brands', 'assessments'];
    config.source!.exclude = config.source!.exclude.concat(EXPECTED_STREAMS.filter((s) => !kept.includes(s)));
    const { logger, lines } = captureLogger();
    const result = await runPass(config, logger);
    expect(result.error).toBeUndefined();
    expect(Object.fromEntries(result.streams.map((s) => [s.stream, s.phase]))).toEqual({
      survey_requests: 'skipped',
      survey_submissions: 'skipped',
      brands: 'done',
      assessments: 'skipped',
    });
    for (const stream of ['survey_requests', 'survey_submissions', 'assessments']) {
      const warnings = lines.filter((l) => l.level === 'warn' && l.stream === stream);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.msg).toMatch(/skipping stream .*: the Ashby organisation does not have/);
    }
    expect((await readTopic(`${config.source!.topic_prefix}brands`)).length).toBe(
      storedIds(lacking.engine, 'brand').size,
    );
  });

  it.each(['application_criteria_evaluations', 'candidate_fraud_checks'])(
    'fails the pass when %s is listed explicitly',
    async (stream) => {
      const config = sourceConfig({
        extra: RUN_ID_HEADER,
        url: lacking.url,
        key: lacking.keys.full,
        streams: [stream],
      });
      const result = await runPass(config);
      expect(result.error?.code).toBe('ASHBY_FEATURE_UNAVAILABLE');
      expect(result.error?.message).toContain('leave the stream out');
    },
  );

  it('treats a 404 for a feature endpoint as the feature missing', async () => {
    const other = await startSandbox({
      seed: 21,
      scale: 20,
      features: { assessments: false },
      compat: { missingFeature: { code: 'not_found', status: 404 } },
    });
    try {
      const result = await runPass(sourceConfig({ extra: RUN_ID_HEADER, url: other.url, key: other.keys.full }));
      expect(result.error).toBeUndefined();
      expect(result.streams.find((s) => s.stream === 'assessments')?.phase).toBe('skipped');
      expect(result.streams.filter((s) => s.phase === 'skipped').map((s) => s.stream)).toEqual(['assessments']);
    } finally {
      await other.close();
    }
  });

  it('skips the new streams a key has no module permission for, as it does any stream', async () => {
    const config = sourceConfig({ extra: RUN_ID_HEADER, url: lacking.url, key: 'org_only', streams: 'all' });
    config.source!.exclude = ['survey_requests', 'survey_submissions', 'assessments'];
    const result = await runPass(config);
    expect(result.error).toBeUndefined();
    const phases = Object.fromEntries(result.streams.map((s) => [s.stream, s.phase]));
    expect([phases.brands, phases.users, phases.departments]).toEqual(['done', 'done', 'done']);
    expect([
      phases.job_boards,
      phases.source_tracking_links,
      phases.interview_stage_groups,
      phases.application_hiring_team_roles,
    ]).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
  });
});
