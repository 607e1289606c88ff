import { fixture } from './helpers/sandbox-fixture.js';

/** Write endpoints and their validation rules (docs/ashby-api.md §5). */

const f = fixture({ scale: 300 });
const err = (endpoint: string, body: Record<string, unknown>) => {
  const r = f.call(endpoint, body);
  expect(r.status).toBe(200);
  expect(r.json.success).toBe(false);
  return r.json.errorInfo as { code: string; message: string };
};
const jobs = f.all('job.list', { status: ['Draft', 'Open', 'Closed', 'Archived'] }).records;
const openJob = jobs.find((j) => j.status === 'Open' && !j.confidential)!;
const stagesOf = (planId: string) => f.ok('interviewStage.list', { interviewPlanId: planId }).results as any[];
const stages = stagesOf(openJob.defaultInterviewPlanId);
const stage = (type: string) => stages.find((s) => s.type === type)!;
const reasons = f.ok('archiveReason.list').results;
const sources = f.ok('source.list').results;
const fields = f.ok('customField.list').results as any[];
const field = (title: string) => fields.find((x) => x.title === title)!.id;
const newCandidate = (name = 'Test Person') => f.ok('candidate.create', { name }).results;
const newApplication = () => f.ok('application.create', { candidateId: newCandidate().id, jobId: openJob.id }).results;

describe('candidate.create / update', () => {
  it('creates a candidate from a name alone, with empty arrays and nulls where Ashby sends them', () => {
    const c = f.ok('candidate.create', { name: 'Test User 1' }).results;
    expect(c).toEqual({
      id: expect.any(String),
      createdAt: c.updatedAt,
      updatedAt: expect.any(String),
      name: 'Test User 1',
      emailAddresses: [],
      phoneNumbers: [],
      socialLinks: [],
      tags: [],
      applicationIds: [],
      fileHandles: [],
      customFields: [],
      profileUrl: `https://app.ashbyhq.com/candidate-searches/new/right-side/candidates/${c.id}`,
      source: null,
      creditedToUser: null,
      timezone: null,
      fraudStatus: null,
    });
    expect(f.admin.get('candidate', c.id)).toEqual(c);
  });

  it('maps contact fields and backdates createdAt', () => {
    const c = f.ok('candidate.create', {
      name: 'Ada',
      email: 'ada@example.org',
      phoneNumber: '+1555',
      linkedInUrl: 'https://linkedin.com/in/ada',
      alternateEmailAddresses: ['ada@work.example'],
      sourceId: sources[0].id,
      createdAt: '2025-01-02T03:04:05.000Z',
      location: { city: 'London', country: 'United Kingdom' },
    }).results;
    expect(c.primaryEmailAddress).toEqual({ value: 'ada@example.org', type: 'Personal', isPrimary: true });
    expect(c.emailAddresses).toHaveLength(2);
    expect(c.socialLinks).toEqual([{ type: 'LinkedIn', url: 'https://linkedin.com/in/ada' }]);
    expect(c.source.id).toBe(sources[0].id);
    expect(c.createdAt).toBe('2025-01-02T03:04:05.000Z');
    expect(c.location.locationSummary).toBe('London, United Kingdom');
  });

  it.each([
    [{}, 'invalid_input', 'name is required'],
    [{ name: '  ' }, 'invalid_input', 'name is required'],
    [{ name: 'X', email: 'not-an-email' }, 'invalid_input', 'email must be an email address'],
    [{ name: 'X', sourceId: '00000000-0000-4000-8000-000000000000' }, 'source_not_found', ''],
    [{ name: 'X', createdAt: 'last tuesday' }, 'invalid_input', 'createdAt must be an ISO 8601'],
  ])('candidate.create %j fails with %s', (body, code, message) => {
    expect(err('candidate.create', body)).toMatchObject({ code, message: expect.stringContaining(message) });
  });

  it('updates fields, makes a new email primary, replaces socialLinks wholesale and bumps updatedAt', () => {
    const c = f.ok('candidate.create', {
      name: 'Grace',
      email: 'grace@example.org',
      linkedInUrl: 'https://linkedin.com/in/g',
    }).results;
    f.admin.advanceClock(1000);
    const u = f.ok('candidate.update', {
      candidateId: c.id,
      name: 'Grace Hopper',
      email: 'grace@navy.example',
      socialLinks: [{ type: 'GitHub', url: 'https://github.com/g' }],
      linkedInUrl: 'https://ignored',
    }).results;
    expect(u.name).toBe('Grace Hopper');
    expect(u.primaryEmailAddress.value).toBe('grace@navy.example');
    expect(u.emailAddresses.map((e: any) => [e.value, e.isPrimary])).toEqual([
      ['grace@navy.example', true],
      ['grace@example.org', false],
    ]);
    expect(u.socialLinks).toEqual([{ type: 'GitHub', url: 'https://github.com/g' }]);
    expect(Date.parse(u.updatedAt)).toBeGreaterThan(Date.parse(c.updatedAt));
  });

  it("keeps applications' embedded candidate in step with the candidate", () => {
    const app = newApplication();
    f.ok('candidate.update', { candidateId: app.candidate.id, name: 'Renamed Applicant' });
    expect(f.ok('application.info', { applicationId: app.id }).results.candidate.name).toBe('Renamed Applicant');
  });

  it('answers candidate_not_found for unknown candidates', () => {
    expect(err('candidate.update', { candidateId: '00000000-0000-4000-8000-000000000000', name: 'X' }).code).toBe(
      'candidate_not_found',
    );
  });
});

describe('candidate.search', () => {
  const all = f.all('candidate.list').records;
  it('ANDs email and name', () => {
    const c = all[10];
    expect(f.ok('candidate.search', { email: c.primaryEmailAddress.value }).results.map((x: any) => x.id)).toEqual([
      c.id,
    ]);
    expect(f.ok('candidate.search', { email: c.primaryEmailAddress.value, name: c.name }).results).toHaveLength(1);
    expect(f.ok('candidate.search', { email: c.primaryEmailAddress.value, name: 'Nobody Matches' }).results).toEqual(
      [],
    );
  });

  it('matches names case-insensitively and returns at most 100 candidates', () => {
    const first = all[0].name.split(' ')[0].toUpperCase();
    const expected = all.filter((c) => c.name.toLowerCase().includes(first.toLowerCase()));
    const got = f.ok('candidate.search', { name: first }).results;
    expect(got.length).toBe(Math.min(100, expected.length));
    expect(f.ok('candidate.search', { name: 'a' }).results).toHaveLength(100);
  });

  it('needs email or name', () => {
    expect(err('candidate.search', {}).code).toBe('invalid_input');
  });
});

describe('tags', () => {
  it('candidate.addTag adds once and is idempotent', () => {
    const c = newCandidate();
    const tag = f.ok('candidateTag.list').results[0];
    f.ok('candidate.addTag', { candidateId: c.id, tagId: tag.id });
    const again = f.ok('candidate.addTag', { candidateId: c.id, tagId: tag.id }).results;
    expect(again.tags).toEqual([{ id: tag.id, title: tag.title, isArchived: false }]);
    expect(err('candidate.addTag', { candidateId: c.id, tagId: '00000000-0000-4000-8000-000000000000' }).code).toBe(
      'candidate_tag_not_found',
    );
  });

  it('candidateTag.create returns the existing tag for a title that exists, ignoring case', () => {
    const existing = f.ok('candidateTag.list').results[1];
    expect(f.ok('candidateTag.create', { title: existing.title.toUpperCase() }).results).toEqual(existing);
    const made = f.ok('candidateTag.create', { title: 'Brand New Tag' }).results;
    expect(f.ok('candidateTag.create', { title: 'brand new tag' }).results.id).toBe(made.id);
    expect(f.ok('candidateTag.list').results.filter((t: any) => t.title === 'Brand New Tag')).toHaveLength(1);
  });
});

describe('application writes', () => {
  it('application.create starts at the first Lead stage with one history entry, and lists the application on the candidate', () => {
    const c = newCandidate();
    const app = f.ok('application.create', { candidateId: c.id, jobId: openJob.id }).results;
    expect(app.status).toBe('Lead');
    expect(app.currentInterviewStage).toEqual({ id: stage('Lead').id });
    expect(app.applicationHistory).toEqual([
      expect.objectContaining({ stageId: stage('Lead').id, stageNumber: 0, allowedActions: ['set_entered_at'] }),
    ]);
    expect(f.ok('candidate.info', { id: c.id }).results.applicationIds).toEqual([app.id]);
    const screen = f.ok('application.create', {
      candidateId: newCandidate().id,
      jobId: openJob.id,
      interviewStageId: 'FirstPreInterviewScreen',
    }).results;
    expect(screen.currentInterviewStage.id).toBe(stage('PreInterviewScreen').id);
  });

  it.each([
    [
      'a second application to the same job',
      () => {
        const a = newApplication();
        return { candidateId: a.candidate.id, jobId: openJob.id };
      },
      'invalid_input',
    ],
    [
      'an unknown job',
      () => ({ candidateId: newCandidate().id, jobId: '00000000-0000-4000-8000-000000000000' }),
      'job_not_found',
    ],
    [
      'a job without an interview plan',
      () => ({ candidateId: newCandidate().id, jobId: jobs.find((j) => !j.defaultInterviewPlanId).id }),
      'invalid_input',
    ],
    [
      'a stage of another plan',
      () => ({
        candidateId: newCandidate().id,
        jobId: openJob.id,
        interviewStageId: stagesOf(
          jobs.find((j) => j.defaultInterviewPlanId && j.id !== openJob.id).defaultInterviewPlanId,
        )[0].id,
      }),
      'interview_stage_not_found',
    ],
  ])('application.create refuses %s', (_name, body, code) => {
    expect(err('application.create', body()).code).toBe(code);
  });

  it('application.changeStage needs an archive reason for an Archived stage and refuses one otherwise', () => {
    const app = newApplication();
    expect(
      err('application.changeStage', { applicationId: app.id, interviewStageId: stage('Archived').id }),
    ).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('archiveReasonId') });
    expect(
      err('application.changeStage', {
        applicationId: app.id,
        interviewStageId: stage('Active').id,
        archiveReasonId: reasons[0].id,
      }).code,
    ).toBe('invalid_input');
    expect(
      err('application.changeStage', {
        applicationId: app.id,
        interviewStageId: stage('Archived').id,
        archiveReasonId: '00000000-0000-4000-8000-000000000000',
      }).code,
    ).toBe('archive_reason_not_found');
    const archived = f.ok('application.changeStage', {
      applicationId: app.id,
      interviewStageId: stage('Archived').id,
      archiveReasonId: reasons[0].id,
    }).results;
    expect(archived).toMatchObject({
      status: 'Archived',
      archivedAt: expect.any(String),
      archiveReason: { id: reasons[0].id, customFields: [] },
      currentInterviewStage: { type: 'Archived' },
    });
    const back = f.ok('application.changeStage', {
      applicationId: app.id,
      interviewStageId: stage('Active').id,
    }).results;
    expect(back).toMatchObject({ status: 'Active', archiveReason: null });
    expect('archivedAt' in back).toBe(false);
    const hired = f.ok('application.changeStage', {
      applicationId: app.id,
      interviewStageId: stage('Hired').id,
    }).results;
    expect(hired.status).toBe('Hired');
    const history = f.ok('application.listHistory', { applicationId: app.id }).results;
    expect(history.map((h: any) => h.stageId)).toEqual([
      stage('Lead').id,
      stage('Archived').id,
      stage('Active').id,
      stage('Hired').id,
    ]);
    expect(history.slice(0, -1).every((h: any) => h.leftStageAt)).toBe(true);
    expect('leftStageAt' in history[history.length - 1]).toBe(false);
  });

  it('application.changeStage rejects archive emails: the sandbox has no communication templates', () => {
    const app = newApplication();
    expect(
      err('application.changeStage', {
        applicationId: app.id,
        interviewStageId: stage('Archived').id,
        archiveReasonId: reasons[0].id,
        archiveEmail: { communicationTemplateId: '00000000-0000-4000-8000-000000000000' },
      }).code,
    ).toBe('communication_template_not_found');
  });

  it('application.changeSource sets and clears the source; application.update backdates', () => {
    const app = newApplication();
    expect(f.ok('application.changeSource', { applicationId: app.id, sourceId: sources[1].id }).results.source).toEqual(
      { id: sources[1].id, title: sources[1].title },
    );
    expect(f.ok('application.changeSource', { applicationId: app.id, sourceId: null }).results.source).toBeNull();
    expect(err('application.changeSource', { applicationId: app.id }).code).toBe('invalid_input');
    expect(
      f.ok('application.update', { applicationId: app.id, createdAt: '2025-05-05T05:05:05.000Z' }).results.createdAt,
    ).toBe('2025-05-05T05:05:05.000Z');
  });
});

describe('job writes', () => {
  const dept = f.ok('department.list').results.find((d: any) => d.parentId);
  const location = f.ok('location.list').results[0];
  const makeJob = (plan = true) =>
    f.ok('job.create', {
      title: 'Job',
      teamId: dept.id,
      locationId: location.id,
      ...(plan ? { defaultInterviewPlanId: openJob.defaultInterviewPlanId } : {}),
    }).results;

  it('job.create makes a Draft job', () => {
    const j = makeJob();
    expect(j).toMatchObject({
      status: 'Draft',
      confidential: false,
      openedAt: null,
      closedAt: null,
      departmentId: dept.id,
      jobPostingIds: [],
      customRequisitionId: null,
    });
    expect(err('job.create', { title: 'X', locationId: location.id }).code).toBe('invalid_input');
    expect(
      err('job.create', { title: 'X', teamId: dept.id, locationId: '00000000-0000-4000-8000-000000000000' }).code,
    ).toBe('location_not_found');
  });

  const allowed: [string, string][] = [
    ['Draft', 'Open'],
    ['Draft', 'Archived'],
    ['Open', 'Closed'],
    ['Closed', 'Draft'],
    ['Closed', 'Archived'],
    ['Archived', 'Draft'],
  ];
  const path: Record<string, string[]> = {
    Draft: [],
    Open: ['Open'],
    Closed: ['Open', 'Closed'],
    Archived: ['Archived'],
  };
  const statuses = ['Draft', 'Open', 'Closed', 'Archived'];

  it.each(statuses.flatMap((from) => statuses.filter((to) => to !== from).map((to) => [from, to] as const)))(
    'job.setStatus %s → %s follows the status machine',
    (from, to) => {
      const j = makeJob();
      for (const s of path[from]!) f.ok('job.setStatus', { jobId: j.id, status: s });
      const r = f.call('job.setStatus', { jobId: j.id, status: to });
      const ok = allowed.some(([a, b]) => a === from && b === to);
      expect(r.json.success).toBe(ok);
      if (ok) expect(r.json.results.status).toBe(to);
      else
        expect(r.json.errorInfo).toMatchObject({
          code: 'invalid_input',
          message: expect.stringContaining(`A ${from} job cannot become ${to}`),
        });
    },
  );

  it('job.setStatus stamps openedAt/closedAt and needs an interview plan to open', () => {
    const j = makeJob();
    const open = f.ok('job.setStatus', { jobId: j.id, status: 'Open' }).results;
    expect(open.openedAt).toEqual(expect.any(String));
    expect(f.ok('job.setStatus', { jobId: j.id, status: 'Closed' }).results.closedAt).toEqual(expect.any(String));
    expect(err('job.setStatus', { jobId: makeJob(false).id, status: 'Open' }).message).toContain(
      'default interview plan',
    );
  });

  it('job.update changes fields', () => {
    const j = makeJob();
    expect(f.ok('job.update', { jobId: j.id, title: 'Renamed Job' }).results.title).toBe('Renamed Job');
  });
});

describe('customField.setValue / setValues', () => {
  it.each([
    ['Willing to Relocate', true, 'Candidate'],
    ['Preferred Name', 'Sam', 'Candidate'],
    ['Years of Experience', 7, 'Candidate'],
    ['Available From', '2026-12-01', 'Candidate'],
    ['Seniority', 'senior', 'Candidate'],
    ['Languages', ['english', 'german'], 'Candidate'],
    ['Salary Expectation', { value: 120000, currencyCode: 'EUR' }, 'Candidate'],
    ['Expected Interview Rounds', { type: 'number-range', minValue: 2, maxValue: 4 }, 'Application'],
    [
      'Budgeted Compensation',
      { type: 'compensation-range', minValue: 1, maxValue: 2, currencyCode: 'USD', interval: '1 YEAR' },
      'Job',
    ],
  ])('accepts a %s value %j', (title, value, objectType) => {
    const objectId =
      objectType === 'Candidate' ? newCandidate().id : objectType === 'Application' ? newApplication().id : openJob.id;
    const r = f.ok('customField.setValue', { objectId, objectType, fieldId: field(title), fieldValue: value }).results;
    expect(r).toMatchObject({ id: field(title), title });
    const entity = objectType.toLowerCase();
    const stored = (f.admin.get(entity as 'candidate', objectId)!.customFields as any[]).find(
      (c) => c.id === field(title),
    );
    expect(stored).toEqual(r);
  });

  it.each([
    ['Willing to Relocate', 'yes'],
    ['Years of Experience', '7'],
    ['Seniority', 'Wizard'],
    ['Languages', ['klingon']],
    ['Salary Expectation', { value: 1, currencyCode: 'euro' }],
    ['Available From', 'soon'],
  ])('rejects a %s value %j with invalid_input', (title, value) => {
    expect(
      err('customField.setValue', {
        objectId: newCandidate().id,
        objectType: 'Candidate',
        fieldId: field(title),
        fieldValue: value,
      }).code,
    ).toBe('invalid_input');
  });

  it('refuses a field of another object type and unknown objects', () => {
    expect(
      err('customField.setValue', {
        objectId: newCandidate().id,
        objectType: 'Candidate',
        fieldId: field('Cost Center'),
        fieldValue: 'cc_100_engineering',
      }).message,
    ).toContain('belongs to Job records');
    expect(
      err('customField.setValue', {
        objectId: '00000000-0000-4000-8000-000000000000',
        objectType: 'Candidate',
        fieldId: field('Preferred Name'),
        fieldValue: 'x',
      }).code,
    ).toBe('candidate_not_found');
  });

  it('setValues applies all values or none; null clears a value', () => {
    const c = newCandidate();
    expect(
      err('customField.setValues', {
        objectId: c.id,
        objectType: 'Candidate',
        values: [
          { fieldId: field('Preferred Name'), fieldValue: 'Al' },
          { fieldId: field('Seniority'), fieldValue: 'nope' },
        ],
      }).code,
    ).toBe('invalid_input');
    expect(f.ok('candidate.info', { id: c.id }).results.customFields).toEqual([]);
    f.ok('customField.setValues', {
      objectId: c.id,
      objectType: 'Candidate',
      values: [
        { fieldId: field('Preferred Name'), fieldValue: 'Al' },
        { fieldId: field('Seniority'), fieldValue: 'staff' },
      ],
    });
    expect(f.ok('candidate.info', { id: c.id }).results.customFields.map((v: any) => v.value)).toEqual(['Al', 'staff']);
    f.ok('customField.setValue', {
      objectId: c.id,
      objectType: 'Candidate',
      fieldId: field('Preferred Name'),
      fieldValue: null,
    });
    expect(f.ok('candidate.info', { id: c.id }).results.customFields.map((v: any) => v.valueLabel)).toEqual(['Staff']);
  });
});

describe('the offer flow', () => {
  const openings = f.all('opening.list').records;
  const opening = (state: string) => openings.find((o) => o.openingState === state)!;
  const form = (extra: unknown[] = []) => ({
    fieldSubmissions: [
      { path: '_systemfield_start_date', value: '2027-01-04' },
      { path: '_systemfield_salary', value: { currencyCode: 'USD', value: 150000 } },
      ...extra,
    ],
  });
  const started = () => {
    const app = newApplication();
    const process = f.ok('offerProcess.start', { applicationId: app.id }).results;
    const offerForm = f.ok('offer.start', { offerProcessId: process.id }).results;
    return { app, process, offerForm };
  };

  it('runs start → create → approval → approve → accepted, with statuses along the way', () => {
    const { app, process, offerForm } = started();
    expect(process).toEqual({ id: expect.any(String), applicationId: app.id, status: 'WaitingOnOfferCreation' });
    expect(offerForm.formDefinition.sections[0].fields.map((x: any) => x.field.path)).toContain('_systemfield_salary');
    const offer = f.ok('offer.create', {
      offerProcessId: process.id,
      offerFormId: offerForm.id,
      offerForm: form(),
    }).results;
    expect(offer).toMatchObject({
      applicationId: app.id,
      acceptanceStatus: 'Created',
      offerStatus: 'WaitingOnApprovalStart',
      latestVersion: {
        salary: { currencyCode: 'USD', value: 150000 },
        startDate: '2027-01-04T00:00:00.000Z',
        approvalStatus: null,
      },
    });
    expect(offer.formDefinition).toEqual(offerForm.formDefinition);
    const version = offer.latestVersion.id;
    const pending = f.ok('offer.startApprovalProcess', { offerVersionId: version }).results;
    expect(pending).toMatchObject({
      offerStatus: 'WaitingOnOfferApproval',
      latestVersion: { approvalStatus: 'WaitingOnApprovals' },
    });
    expect(err('offer.startApprovalProcess', { offerVersionId: version }).code).toBe('invalid_input');
    expect(err('offer.setStatus', { offerId: offer.id, acceptanceStatus: 'Accepted' }).message).toContain(
      'approved offer',
    );
    const approval = f.ok('approval.list', { entityType: 'offer', entityId: version }).results[0];
    expect(approval.steps).toHaveLength(2);
    expect(err('offer.approve', { offerVersionId: version, approvalStepId: approval.steps[0].id }).message).toContain(
      'needs userId',
    );
    expect(
      err('offer.approve', {
        offerVersionId: version,
        approvalStepId: approval.steps[1].id,
        userId: approval.steps[1].approvers[0].userId,
      }).message,
    ).toContain('not the current step');
    const stepOne = f.ok('offer.approve', {
      offerVersionId: version,
      approvalStepId: approval.steps[0].id,
      userId: approval.steps[0].approvers[0].userId,
    }).results;
    expect(stepOne.offerStatus).toBe('WaitingOnOfferApproval');
    const approved = f.ok('offer.approve', { offerVersionId: version }).results;
    expect(approved).toMatchObject({
      offerStatus: 'WaitingOnCandidateResponse',
      acceptanceStatus: 'WaitingOnResponse',
      latestVersion: {
        approvalStatus: 'Approved',
        fileHandles: [expect.objectContaining({ name: 'Offer_Letter.pdf' })],
      },
    });
    expect(f.ok('approval.list', { entityId: version }).results[0].completedAt).toEqual(expect.any(String));
    const accepted = f.ok('offer.setStatus', { offerId: offer.id, acceptanceStatus: 'Accepted' }).results;
    expect(accepted).toMatchObject({
      acceptanceStatus: 'Accepted',
      offerStatus: 'CandidateAccepted',
      decidedAt: expect.any(String),
    });
    expect(err('offer.update', { offerId: offer.id, offerForm: form() }).code).toBe('invalid_input');
    expect(f.ok('offer.info', { offerId: offer.id, excludeFormDefinition: true }).results.versions).toHaveLength(1);
  });

  it('offer.update makes a new version and restarts approvals', () => {
    const { process, offerForm } = started();
    const offer = f.ok('offer.create', {
      offerProcessId: process.id,
      offerFormId: offerForm.id,
      offerForm: form(),
    }).results;
    f.ok('offer.startApprovalProcess', { offerVersionId: offer.latestVersion.id });
    const updated = f.ok('offer.update', {
      offerId: offer.id,
      offerForm: { fieldSubmissions: [{ path: '_systemfield_salary', value: { currencyCode: 'USD', value: 175000 } }] },
    }).results;
    expect(updated.versions).toHaveLength(2);
    expect(updated).toMatchObject({
      offerStatus: 'WaitingOnApprovalStart',
      latestVersion: { salary: { value: 175000 }, startDate: '2027-01-04T00:00:00.000Z', approvalStatus: null },
    });
    expect(updated.latestVersion.id).not.toBe(offer.latestVersion.id);
  });

  it.each([
    [
      'offer.create before offer.start',
      (s: ReturnType<typeof started>) => ({
        offerProcessId: s.process.id,
        offerFormId: '00000000-0000-4000-8000-000000000000',
        offerForm: form(),
      }),
      'invalid_input',
    ],
    [
      'a missing required field',
      (s: ReturnType<typeof started>) => ({
        offerProcessId: s.process.id,
        offerFormId: s.offerForm.id,
        offerForm: { fieldSubmissions: [{ path: '_systemfield_start_date', value: '2027-01-04' }] },
      }),
      'invalid_input',
    ],
    [
      'a path not on the form',
      (s: ReturnType<typeof started>) => ({
        offerProcessId: s.process.id,
        offerFormId: s.offerForm.id,
        offerForm: form([{ path: 'bonus', value: 1 }]),
      }),
      'invalid_input',
    ],
    [
      'a filled opening',
      (s: ReturnType<typeof started>) => ({
        offerProcessId: s.process.id,
        offerFormId: s.offerForm.id,
        offerForm: form([{ path: '_systemfield_opening', value: opening('Filled').id }]),
      }),
      'opening_in_use',
    ],
    [
      'a draft opening',
      (s: ReturnType<typeof started>) => ({
        offerProcessId: s.process.id,
        offerFormId: s.offerForm.id,
        offerForm: form([{ path: '_systemfield_opening', value: opening('Draft').id }]),
      }),
      'opening_state_invalid',
    ],
  ])('offer.create refuses %s', (_name, body, code) => {
    expect(err('offer.create', body(started())).code).toBe(code);
  });

  it('offerProcess.start refuses a second process in progress', () => {
    const { app } = started();
    expect(err('offerProcess.start', { applicationId: app.id }).message).toContain('already has an offer process');
  });
});
