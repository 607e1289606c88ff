import { describe, expect, it } from '@jest/globals';
import { loadContract } from '../../src/avro/index.js';
import { DEFAULT_CATALOG, STREAM_DECLARATIONS, StreamCatalog } from '../../src/source/catalog.js';
import { EXPECTED_STREAMS } from '../support/streams.js';

/** Issue 21: one stream per list endpoint Ashby's spec has. */
const LIST_ENDPOINT_STREAMS: Record<string, string> = {
  'brand.list': 'brands',
  'communicationTemplate.list': 'communication_templates',
  'interviewStageGroup.list': 'interview_stage_groups',
  'jobBoard.list': 'job_boards',
  'sourceTrackingLink.list': 'source_tracking_links',
  'surveyRequest.list': 'survey_requests',
  'surveySubmission.list': 'survey_submissions',
  'assessment.list': 'assessments',
  'application.listCriteriaEvaluations': 'application_criteria_evaluations',
  'applicationHiringTeamRole.list': 'application_hiring_team_roles',
  'candidate.listProjects': 'candidate_projects',
  'candidate.listClientInfo': 'candidate_client_info',
  'candidate.listFraudChecks': 'candidate_fraud_checks',
  'user.listInterviewerPauses': 'user_interviewer_pauses',
};

describe('stream catalog', () => {
  const contract = loadContract();

  it('declares exactly the streams the docs promise', () => {
    expect([...DEFAULT_CATALOG.names()].sort()).toEqual([...EXPECTED_STREAMS].sort());
  });

  it('declares a stream for every list endpoint, 43 in all', () => {
    for (const [endpoint, name] of Object.entries(LIST_ENDPOINT_STREAMS))
      expect([name, DEFAULT_CATALOG.get(name)?.endpoint]).toEqual([name, endpoint]);
    expect(DEFAULT_CATALOG.names()).toHaveLength(43);
    expect(EXPECTED_STREAMS).toHaveLength(43);
  });

  it('has a schema for every declared stream, and every schema is declared', () => {
    for (const s of DEFAULT_CATALOG.all()) expect(() => contract.streamType(s.name)).not.toThrow();
    expect([...DEFAULT_CATALOG.names()].sort()).toEqual(contract.streams());
  });

  it('keys every stream by fields its schema has', () => {
    for (const s of DEFAULT_CATALOG.all()) {
      const fields = (contract.streamSchema(s.name) as { fields: Array<{ name: string }> }).fields.map((f) => f.name);
      expect({ stream: s.name, missing: s.key.split(':').filter((k) => !fields.includes(k)) }).toEqual({
        stream: s.name,
        missing: [],
      });
    }
    expect([
      DEFAULT_CATALOG.get('candidates')!.key,
      DEFAULT_CATALOG.get('candidate_projects')!.key,
      DEFAULT_CATALOG.get('assessments')!.key,
    ]).toEqual(['id', 'candidateId:id', 'assessment_type_id']);
  });

  it('derives paging, sync modes, permission and completeness flags from the client tables', () => {
    const get = (n: string) => DEFAULT_CATALOG.get(n)!;
    expect([get('candidates').paging, get('candidates').syncModes]).toEqual(['sync', ['incremental', 'full_refresh']]);
    expect([get('sources').paging, get('sources').syncModes]).toEqual(['single', ['incremental', 'full_refresh']]);
    // A child follows its parent: stages are a single-page list, but plans take sync tokens.
    expect([get('interview_stages').paging, get('interview_stages').syncModes]).toEqual([
      'single',
      ['incremental', 'full_refresh'],
    ]);
    expect(get('application_history').paging).toBe('cursor');
    expect(get('jobs').completeness).toEqual({
      status: ['Draft', 'Open', 'Closed', 'Archived'],
      includeUnpublishedJobPostingsIds: true,
    });
    expect(get('users').completeness).toEqual({ includeDeactivated: true });
    expect(get('offers').scope).toBe('offers:read');
    expect(get('offers').module).toBe('Offers');
    expect(get('source_tracking_links').completeness).toEqual({ includeDisabled: true });
    expect([get('brands').paging, get('brands').syncModes]).toEqual(['cursor', ['incremental', 'full_refresh']]);
    expect([get('survey_submissions').paging, get('survey_submissions').body]).toEqual([
      'sync',
      { surveyType: 'CandidateExperience' },
    ]);
    // assessment.list is implemented by assessment partners: Ashby documents no permission for it.
    for (const s of DEFAULT_CATALOG.all())
      expect({ stream: s.name, scope: s.scope }).toEqual({
        stream: s.name,
        scope: s.name === 'assessments' ? undefined : expect.stringMatching(/:read$/),
      });
  });

  it('names existing parents, and keeps fan-out children off by default', () => {
    for (const s of DEFAULT_CATALOG.all()) {
      if (!s.parent) continue;
      const parent = DEFAULT_CATALOG.parentOf(s);
      expect(parent?.name).toBe(s.parent.stream);
      expect(parent!.parent).toBeUndefined();
    }
    const off = DEFAULT_CATALOG.all()
      .filter((s) => !s.enabledByDefault)
      .map((s) => s.name)
      .sort();
    expect(off).toEqual([
      'application_criteria_evaluations',
      'application_history',
      'candidate_client_info',
      'candidate_fraud_checks',
      'candidate_notes',
      'candidate_projects',
      'interview_events',
      'user_interviewer_pauses',
    ]);
  });

  it('adds the parent id only where the schema has the field', () => {
    for (const s of STREAM_DECLARATIONS) {
      if (!s.parent?.addField) continue;
      const fields = (contract.streamSchema(s.name) as { fields: Array<{ name: string }> }).fields.map((f) => f.name);
      expect(fields).toContain(s.parent.addField);
    }
  });

  it('refuses a declaration whose parent does not exist', () => {
    expect(
      () =>
        new StreamCatalog([
          {
            name: 'x',
            endpoint: 'interviewStage.list',
            parent: { stream: 'nope', param: 'id' },
            enabledByDefault: true,
          },
        ]),
    ).toThrow(/unknown parent nope/);
  });
});
