import { HANDLERS, LIST_SPECS } from '../../src/sandbox/endpoints/registry.js';
import { OpenApiValidator, type Issue } from './helpers/openapi-validator.js';
import { RecordedDeviations, loadRecordings } from './helpers/recordings.js';
import { fixture, type Reply } from './helpers/sandbox-fixture.js';

/**
 * Every implemented endpoint's responses validate against its response schema in Ashby's
 * OpenAPI spec. Where real recorded traffic itself departs from the spec (nulls the spec does not
 * allow, required fields the slim write responses leave out), the sandbox may depart the same way
 * and no further.
 */

const validator = new OpenApiValidator();
const deviations = new RecordedDeviations(validator, loadRecordings());
const f = fixture({ scale: 300 });

/** offer.setStatus came after our spec copy (changelog 2026-07): it returns an offer, as offer.info does. */
const SCHEMA_OF: Record<string, string> = { 'offer.setStatus': 'offer.info' };

function specIssues(endpoint: string, reply: Reply): Issue[] {
  const schemaEndpoint = SCHEMA_OF[endpoint] ?? endpoint;
  if (reply.json?.success === false) return validator.validate(validator.errorSchema(schemaEndpoint), reply.json);
  return validator
    .validate(validator.successSchema(schemaEndpoint), reply.json)
    .filter((i) => !deviations.allows(endpoint, i));
}

// ---- records the requests below refer to --------------------------------------------------
const apps = f.all('application.list').records;
const active = apps.filter((a) => a.status === 'Active');
const withHistory = apps.find((a) => a.status === 'Archived')!;
const candidates = f.all('candidate.list').records;
const candidate = candidates.find((c) => c.applicationIds.length > 0)!;
const jobs = f.all('job.list', { status: ['Draft', 'Open', 'Closed', 'Archived'] }).records;
const openJob = jobs.find((j) => j.status === 'Open' && !j.confidential)!;
const plan = openJob.defaultInterviewPlanId;
const stages = f.ok('interviewStage.list', { interviewPlanId: plan }).results;
const schedules = f.all('interviewSchedule.list').records;
const schedule = schedules.find((s) => s.interviewEvents.length > 0)!;
const offers = f.all('offer.list').records;
const tag = f.ok('candidateTag.list').results[0];
const fields = f.ok('customField.list').results;
const field = (title: string) => fields.find((x: any) => x.title === title).id;
const source = f.ok('source.list').results[0];
const dept = f.ok('department.list').results.find((d: any) => d.parentId);
const location = f.ok('location.list').results[0];
const posting = f.ok('jobPosting.list').results[0];
const opening = f.all('opening.list').records.find((o) => o.openingState === 'Open')!;
const user = f.ok('user.list').results[0];
const project = f.ok('project.list').results[0];
const pool = f.ok('interviewerPool.list').results[0];
const feedbackForm = f.ok('feedbackFormDefinition.list').results[0];
const survey = f.ok('surveyFormDefinition.list').results[0];
const interview = f.ok('interview.list', { includeNonSharedInterviews: true }).results[0];
const today = '2026-12-01';

/** Offer flow prepared step by step: each entry runs after the previous ones. */
const flow: Record<string, unknown> = {};

type Step = [endpoint: string, body: () => Record<string, unknown>, after?: (reply: Reply) => void];

/** Upload endpoints take multipart/form-data: the body's `file` (or `resume`) entry becomes the file part. */
const MULTIPART_PARTS: Record<string, string> = { 'candidate.uploadFile': 'file', 'candidate.uploadResume': 'resume' };
const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

function send(endpoint: string, body: Record<string, unknown>): Reply {
  const part = MULTIPART_PARTS[endpoint];
  if (!part) return f.call(endpoint, body);
  const { [part]: name, ...fields } = body;
  return f.multipart(endpoint, fields as Record<string, string>, {
    part,
    name: String(name),
    type: 'application/pdf',
    bytes: PDF,
  });
}

const STEPS: Step[] = [
  ['apiKey.info', () => ({})],
  ['candidate.list', () => ({ limit: 50 })],
  ['candidate.info', () => ({ id: candidate.id })],
  ['candidate.search', () => ({ email: candidate.primaryEmailAddress.value })],
  [
    'candidate.listNotes',
    () => ({
      candidateId: candidates.find((c) => f.ok('candidate.listNotes', { candidateId: c.id }).results.length)!.id,
    }),
  ],
  ['application.list', () => ({ limit: 50, expand: ['openings'] })],
  ['application.info', () => ({ applicationId: withHistory.id, expand: ['openings'] })],
  ['application.listHistory', () => ({ applicationId: withHistory.id })],
  ['applicationFeedback.list', () => ({ limit: 50 })],
  ['job.list', () => ({ status: ['Draft', 'Open', 'Closed', 'Archived'], expand: ['location', 'openings'] })],
  ['job.info', () => ({ id: openJob.id, expand: ['location', 'openings'] })],
  ['job.search', () => ({ title: openJob.title })],
  ['jobPosting.list', () => ({})],
  ['jobPosting.info', () => ({ jobPostingId: posting.id, expand: ['job'] })],
  ['opening.list', () => ({})],
  ['opening.info', () => ({ openingId: opening.id })],
  ['offer.list', () => ({ limit: 50 })],
  ['offer.info', () => ({ offerId: offers[0].id })],
  ['interview.list', () => ({ includeArchived: true, includeNonSharedInterviews: true })],
  ['interview.info', () => ({ id: interview.id })],
  ['interviewPlan.list', () => ({ includeArchived: true })],
  ['interviewStage.list', () => ({ interviewPlanId: plan })],
  ['interviewStage.info', () => ({ interviewStageId: stages[2].id })],
  ['interviewSchedule.list', () => ({ limit: 50 })],
  ['interviewEvent.list', () => ({ interviewScheduleId: schedule.id, expand: ['interview'] })],
  ['department.list', () => ({ includeArchived: true })],
  ['department.info', () => ({ departmentId: dept.id })],
  ['location.list', () => ({ includeArchived: true, includeLocationHierarchy: true })],
  ['location.info', () => ({ locationId: location.id })],
  ['user.list', () => ({ includeDeactivated: true })],
  ['user.info', () => ({ userId: user.id })],
  ['user.search', () => ({ email: user.email })],
  ['source.list', () => ({ includeArchived: true })],
  ['archiveReason.list', () => ({ includeArchived: true })],
  ['closeReason.list', () => ({ includeArchived: true })],
  ['candidateTag.list', () => ({ includeArchived: true })],
  ['customField.list', () => ({ includeArchived: true })],
  ['customField.info', () => ({ customFieldId: fields[0].id })],
  ['feedbackFormDefinition.list', () => ({ includeArchived: true })],
  ['feedbackFormDefinition.info', () => ({ feedbackFormDefinitionId: feedbackForm.id })],
  ['surveyFormDefinition.list', () => ({})],
  ['surveyFormDefinition.info', () => ({ surveyFormDefinitionId: survey.id })],
  ['approval.list', () => ({})],
  ['project.list', () => ({})],
  ['project.info', () => ({ projectId: project.id })],
  ['jobTemplate.list', () => ({ expand: ['location'] })],
  ['interviewerPool.list', () => ({ includeArchivedPools: true })],
  ['interviewerPool.info', () => ({ interviewerPoolId: pool.id })],
  ['hiringTeamRole.list', () => ({})],
  ['hiringTeamRole.list', () => ({ namesOnly: false })],
  // issue 21: every remaining list endpoint
  ['brand.list', () => ({})],
  ['communicationTemplate.list', () => ({})],
  ['interviewStageGroup.list', () => ({})],
  ['jobBoard.list', () => ({})],
  ['sourceTrackingLink.list', () => ({ includeDisabled: true })],
  ['applicationHiringTeamRole.list', () => ({})],
  ['assessment.list', () => ({})],
  ['surveyRequest.list', () => ({ surveyType: 'CandidateExperience', limit: 50 })],
  ['surveySubmission.list', () => ({ surveyType: 'CandidateExperience', limit: 50 })],
  [
    'application.listCriteriaEvaluations',
    () => ({
      applicationId: apps.find(
        (a) => f.ok('application.listCriteriaEvaluations', { applicationId: a.id }).results.length,
      )!.id,
    }),
  ],
  [
    'candidate.listProjects',
    () => ({
      candidateId: candidates.find((c) => f.ok('candidate.listProjects', { candidateId: c.id }).results.length)!.id,
    }),
  ],
  ['candidate.listClientInfo', () => ({ candidateId: candidate.id })],
  [
    'candidate.listFraudChecks',
    () => ({
      candidateId: candidates.find((c) =>
        f.ok('candidate.listFraudChecks', { candidateId: c.id }).results.some((x: any) => x.fraudSignals.length),
      )!.id,
    }),
  ],
  ['user.listInterviewerPauses', () => ({ userId: user.id })],
  // writes
  [
    'candidate.create',
    () => ({
      name: 'Rosalind Franklin',
      email: 'rosalind@example.org',
      phoneNumber: '+15550001',
      linkedInUrl: 'https://linkedin.com/in/rf',
      sourceId: source.id,
      creditedToUserId: user.id,
      location: { city: 'London', country: 'United Kingdom' },
    }),
    (r) => (flow.candidateId = r.json.results.id),
  ],
  [
    'candidate.update',
    () => ({
      candidateId: flow.candidateId,
      name: 'Rosalind E. Franklin',
      websiteUrl: 'https://rf.example.org',
      alternateEmail: 'rf@work.example',
    }),
  ],
  ['candidate.addTag', () => ({ candidateId: flow.candidateId, tagId: tag.id })],
  [
    'candidate.createNote',
    () => ({ candidateId: flow.candidateId, note: { type: 'text/html', value: '<p>Great <b>call</b></p>' } }),
  ],
  ['candidate.removeTag', () => ({ candidateId: flow.candidateId, tagId: tag.id })],
  ['candidate.uploadFile', () => ({ candidateId: flow.candidateId, file: 'Portfolio.pdf' })],
  ['candidate.uploadResume', () => ({ candidateId: flow.candidateId, resume: 'Resume.pdf' })],
  ['candidateTag.create', () => ({ title: 'Conformance Tag' })],
  [
    'application.create',
    () => ({ candidateId: flow.candidateId, jobId: openJob.id, sourceId: source.id }),
    (r) => (flow.applicationId = r.json.results.id),
  ],
  ['application.update', () => ({ applicationId: flow.applicationId, creditedToUserId: user.id })],
  ['application.changeSource', () => ({ applicationId: flow.applicationId, sourceId: source.id })],
  [
    'application.addHiringTeamMember',
    () => ({
      applicationId: flow.applicationId,
      teamMemberId: user.id,
      roleId: f.ok('hiringTeamRole.list', { namesOnly: false }).results[0].id,
    }),
  ],
  [
    'interviewSchedule.create',
    () => ({
      applicationId: flow.applicationId,
      interviewEvents: [
        {
          startTime: '2030-01-02T10:00:00.000Z',
          endTime: '2030-01-02T11:00:00.000Z',
          interviewers: [{ email: user.email, feedbackRequired: true }],
        },
      ],
    }),
    (r) => (flow.scheduleId = r.json.results.id),
  ],
  [
    'interviewSchedule.update',
    () => ({
      interviewScheduleId: flow.scheduleId,
      interviewEvent: {
        startTime: '2030-01-03T10:00:00.000Z',
        endTime: '2030-01-03T11:00:00.000Z',
        interviewers: [{ email: user.email }],
      },
    }),
  ],
  ['interviewSchedule.cancel', () => ({ id: flow.scheduleId })],
  [
    'application.changeStage',
    () => ({ applicationId: flow.applicationId, interviewStageId: stages.find((s: any) => s.type === 'Offer').id }),
  ],
  [
    'customField.setValue',
    () => ({
      objectId: flow.candidateId,
      objectType: 'Candidate',
      fieldId: field('Languages'),
      fieldValue: ['english', 'polish'],
    }),
  ],
  [
    'customField.setValues',
    () => ({
      objectId: openJob.id,
      objectType: 'Job',
      values: [
        {
          fieldId: field('Budgeted Compensation'),
          fieldValue: { type: 'compensation-range', minValue: 1, maxValue: 2, currencyCode: 'EUR', interval: '1 YEAR' },
        },
        { fieldId: field('Cost Center'), fieldValue: 'cc_100_engineering' },
      ],
    }),
  ],
  [
    'job.create',
    () => ({ title: 'Conformance Engineer', teamId: dept.id, locationId: location.id, defaultInterviewPlanId: plan }),
    (r) => (flow.jobId = r.json.results.id),
  ],
  ['job.update', () => ({ jobId: flow.jobId, title: 'Senior Conformance Engineer' })],
  ['job.setStatus', () => ({ jobId: flow.jobId, status: 'Open' })],
  [
    'application.create',
    () => ({ candidateId: flow.candidateId, jobId: flow.jobId }),
    (r) => (flow.transferApplicationId = r.json.results.id),
  ],
  [
    'application.transfer',
    () => ({
      applicationId: flow.transferApplicationId,
      jobId: openJob.id,
      interviewPlanId: plan,
      interviewStageId: stages.find((s: any) => s.type === 'Active').id,
    }),
  ],
  ['offerProcess.start', () => ({ applicationId: flow.applicationId }), (r) => (flow.processId = r.json.results.id)],
  ['offer.start', () => ({ offerProcessId: flow.processId }), (r) => (flow.formId = r.json.results.id)],
  [
    'offer.create',
    () => ({
      offerProcessId: flow.processId,
      offerFormId: flow.formId,
      offerForm: {
        fieldSubmissions: [
          { path: '_systemfield_start_date', value: today },
          { path: '_systemfield_salary', value: { currencyCode: 'USD', value: 150000 } },
          { path: '_systemfield_opening', value: opening.id },
        ],
      },
    }),
    (r) => (flow.offerId = r.json.results.id),
  ],
  [
    'offer.update',
    () => ({
      offerId: flow.offerId,
      offerForm: { fieldSubmissions: [{ path: '_systemfield_salary', value: { currencyCode: 'USD', value: 160000 } }] },
    }),
    (r) => (flow.versionId = r.json.results.latestVersion.id),
  ],
  ['offer.startApprovalProcess', () => ({ offerVersionId: flow.versionId })],
  ['offer.approve', () => ({ offerVersionId: flow.versionId })],
  ['offer.setStatus', () => ({ offerId: flow.offerId, acceptanceStatus: 'Accepted' })],
  [
    'webhook.create',
    () => ({
      webhookType: 'candidateDelete',
      requestUrl: 'https://hooks.example.org/ashby',
      secretToken: 'conformance-secret',
    }),
    (r) => (flow.webhookId = r.json.results.id),
  ],
  ['webhook.info', () => ({ webhookId: flow.webhookId })],
  ['webhook.update', () => ({ webhookId: flow.webhookId, enabled: false })],
  ['webhook.delete', () => ({ webhookId: flow.webhookId })],
];

describe('responses validate against Ashby OpenAPI spec', () => {
  it('exercises every implemented endpoint', () => {
    expect(new Set(STEPS.map((s) => s[0]))).toEqual(new Set(HANDLERS.keys()));
  });

  it.each(STEPS.map((s, i) => [`${i + 1}. ${s[0]}`, s] as const))('%s', (_name, [endpoint, body, after]) => {
    const reply = send(endpoint, body());
    // Record ids for the later steps first, so one failure does not cascade.
    if (reply.json?.success) after?.(reply);
    expect(reply.json?.errorInfo ?? null).toBeNull();
    expect(specIssues(endpoint, reply)).toEqual([]);
  });

  const PER_PARENT = [
    'interviewStage.list',
    'interviewEvent.list',
    'candidate.listNotes',
    'application.listHistory',
    'application.listCriteriaEvaluations',
    'candidate.listProjects',
    'candidate.listClientInfo',
    'candidate.listFraudChecks',
    'user.listInterviewerPauses',
  ];
  const UNSCOPED_LISTS = LIST_SPECS.filter((l) => !PER_PARENT.includes(l.endpoint));

  it.each(UNSCOPED_LISTS.map((l) => [l.endpoint]))('every page of %s validates, for both default keys', (endpoint) => {
    const flags = {
      includeArchived: true,
      includeDeactivated: true,
      includeLocationHierarchy: true,
      includeNonSharedInterviews: true,
      includeArchivedPools: true,
      includeDisabled: true,
      status: endpoint === 'job.list' ? ['Draft', 'Open', 'Closed', 'Archived'] : undefined,
      surveyType:
        endpoint.startsWith('survey') && endpoint !== 'surveyFormDefinition.list' ? 'CandidateExperience' : undefined,
    };
    const body = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
    for (const key of ['sandbox_full', 'sandbox_readonly']) {
      for (const page of f.all(
        endpoint,
        endpoint === 'application.list' || endpoint === 'jobPosting.list' ? {} : body,
        key,
      ).pages)
        expect(specIssues(endpoint, page)).toEqual([]);
    }
  });

  it('error responses validate against the error schemas', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['candidate.info', { id: '00000000-0000-4000-8000-000000000000' }],
      ['candidate.list', { limit: 500 }],
      ['surveySubmission.list', {}],
      ['candidate.listFraudChecks', { candidateId: '00000000-0000-4000-8000-000000000000' }],
      [
        'application.changeStage',
        { applicationId: active[0].id, interviewStageId: stages.find((s: any) => s.type === 'Archived').id },
      ],
      [
        'application.changeStage',
        { applicationId: '00000000-0000-4000-8000-000000000000', interviewStageId: stages[0].id },
      ],
      [
        'offer.create',
        {
          offerProcessId: '00000000-0000-4000-8000-000000000000',
          offerFormId: '00000000-0000-4000-8000-000000000000',
          offerForm: { fieldSubmissions: [] },
        },
      ],
    ];
    for (const [endpoint, body] of cases) {
      const reply = f.call(endpoint, body);
      expect(reply.json.success).toBe(false);
      expect(specIssues(endpoint, reply)).toEqual([]);
    }
  });
});
