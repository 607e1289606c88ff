import { IdCodec, Kind } from '../../src/sandbox/data/ids.js';
import { iso } from '../../src/sandbox/clock.js';
import { fixture } from './helpers/sandbox-fixture.js';

/** The generated organisation: deterministic, consistent, and complete enough for every stream. */

const ALL_JOBS = { status: ['Draft', 'Open', 'Closed', 'Archived'] };

describe('ids and timestamps', () => {
  it('encodes (kind, index) in v4-shaped UUIDs that only the same seed decodes', () => {
    const codec = new IdCodec(1);
    for (const [kind, index] of [
      [Kind.Candidate, 0],
      [Kind.Application, 2_999_999],
      [Kind.InterviewEvent, 2 ** 39 + 5],
    ] as const) {
      const id = codec.id(kind, index);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(codec.decode(id)).toEqual({ kind, index });
      expect(codec.decode(id.toUpperCase())).toEqual({ kind, index });
      expect(new IdCodec(2).decode(id)).toBeUndefined();
    }
    expect(codec.decode('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(new Set(Array.from({ length: 5000 }, (_, i) => codec.id(Kind.Candidate, i))).size).toBe(5000);
  });

  it('formats timestamps exactly like Date#toISOString', () => {
    for (const ms of [0, 1_700_000_000_123, 1_798_761_599_999, 1_735_689_600_000])
      expect(iso(ms)).toBe(new Date(ms).toISOString());
  });
});

describe('determinism', () => {
  it('gives byte-identical data for the same seed and scale, and different data for another seed', () => {
    const page = (seed: number) => fixture({ seed, scale: 120 }).all('application.list').records;
    expect(JSON.stringify(page(5))).toBe(JSON.stringify(page(5)));
    expect(JSON.stringify(page(6))).not.toBe(JSON.stringify(page(5)));
  });

  it('scales entity counts with the number of candidates', () => {
    expect(fixture({ scale: 100 }).admin.stats().counts).toMatchObject({ candidates: 100, jobs: 21, users: 12 });
    expect(fixture({ scale: 1_000_000 }).admin.stats().counts).toMatchObject({
      candidates: 1_000_000,
      jobs: 10_020,
      users: 5_000,
    });
  });

  it('reaches any record of a 1,000,000-candidate org without generating the others', () => {
    const f = fixture({ scale: 1_000_000 });
    const last = f.ok('candidate.list', { createdAfter: Date.parse('2026-10-31T23:00:00.000Z') });
    expect(last.results.length).toBeGreaterThan(0);
    const far = last.results.at(-1);
    expect(f.ok('candidate.info', { id: far.id }).results).toEqual(far);
    expect(f.ok('candidate.search', { email: far.primaryEmailAddress.value }).results.map((c: any) => c.id)).toEqual([
      far.id,
    ]);
  });
});

describe('referential integrity', () => {
  const f = fixture({ scale: 300 });
  const ids = (endpoint: string, body = {}) => new Set(f.all(endpoint, body).records.map((r) => r.id));
  const candidates = f.all('candidate.list').records;
  const apps = f.all('application.list').records;
  const jobs = f.all('job.list', ALL_JOBS).records;
  const users = ids('user.list', { includeDeactivated: true });
  const sources = ids('source.list', { includeArchived: true });
  const tags = ids('candidateTag.list', { includeArchived: true });
  const departments = ids('department.list', { includeArchived: true });
  const locations = ids('location.list', { includeArchived: true, includeLocationHierarchy: true });
  const plans = ids('interviewPlan.list', { includeArchived: true });
  const appIds = new Set(apps.map((a) => a.id));
  const jobIds = new Set(jobs.map((j) => j.id));
  const candidateIds = new Set(candidates.map((c) => c.id));

  it('candidates point at existing applications, sources and tags, and applications point back', () => {
    for (const c of candidates) {
      for (const id of c.applicationIds) expect(appIds.has(id)).toBe(true);
      if (c.source) expect(sources.has(c.source.id)).toBe(true);
      for (const t of c.tags) expect(tags.has(t.id)).toBe(true);
    }
    for (const a of apps) {
      expect(candidateIds.has(a.candidate.id)).toBe(true);
      expect(candidates.find((c) => c.id === a.candidate.id).applicationIds).toContain(a.id);
      expect(jobIds.has(a.job.id)).toBe(true);
    }
  });

  it("applications are at a stage of their job's plan, with a history that ends there", () => {
    for (const a of apps.slice(0, 80)) {
      const job = jobs.find((j) => j.id === a.job.id);
      expect(a.currentInterviewStage.interviewPlanId).toBe(job.defaultInterviewPlanId);
      const history = f.all('application.listHistory', { applicationId: a.id }).records;
      expect(history.at(-1).stageId).toBe(a.currentInterviewStage.id);
      expect(a.status).toBe(
        { Lead: 'Lead', Hired: 'Hired', Archived: 'Archived' }[a.currentInterviewStage.type as string] ?? 'Active',
      );
    }
  });

  it('jobs point at existing departments, locations, plans, users and postings', () => {
    const postings = ids('jobPosting.list');
    for (const j of jobs) {
      expect(departments.has(j.departmentId)).toBe(true);
      expect(locations.has(j.locationId)).toBe(true);
      for (const p of j.interviewPlanIds) expect(plans.has(p)).toBe(true);
      expect(users.has(j.author.id)).toBe(true);
      for (const p of j.jobPostingIds) expect(postings.has(p)).toBe(true);
    }
  });

  it('offers, schedules, events and feedback hang off existing applications, interviews and users', () => {
    const interviews = ids('interview.list', { includeArchived: true, includeNonSharedInterviews: true });
    for (const o of f.all('offer.list').records) expect(appIds.has(o.applicationId)).toBe(true);
    for (const s of f.all('interviewSchedule.list').records) {
      expect(appIds.has(s.applicationId)).toBe(true);
      for (const e of s.interviewEvents) {
        expect(interviews.has(e.interviewId)).toBe(true);
        for (const u of e.interviewerUserIds) expect(users.has(u)).toBe(true);
      }
    }
    for (const fb of f.all('applicationFeedback.list').records) {
      expect(appIds.has(fb.applicationId)).toBe(true);
      expect(interviews.has(fb.interviewId)).toBe(true);
    }
  });
});

describe('coverage of the streams the connector reads', () => {
  const f = fixture({ scale: 300 });

  it('has Draft, confidential, open and closed jobs; deactivated users; a location hierarchy; archived metadata', () => {
    const jobs = f.all('job.list', ALL_JOBS).records;
    for (const s of ALL_JOBS.status) expect(jobs.some((j) => j.status === s)).toBe(true);
    expect(jobs.some((j) => j.confidential)).toBe(true);
    expect(f.ok('user.list', { includeDeactivated: true }).results.some((u: any) => !u.isEnabled)).toBe(true);
    const locations = f.ok('location.list', { includeLocationHierarchy: true }).results;
    const regions = locations.filter((l: any) => l.type === 'LocationHierarchy');
    expect(locations.some((l: any) => regions.some((r: any) => r.id === l.parentLocationId))).toBe(true);
    expect(f.ok('department.list').results.some((d: any) => d.parentId)).toBe(true);
  });

  it('has applications in every status, offers with several versions, and custom field values of every shape', () => {
    const apps = f.all('application.list').records;
    for (const s of ['Lead', 'Active', 'Archived', 'Hired']) expect(apps.some((a) => a.status === s)).toBe(true);
    const offers = f.all('offer.list').records;
    expect(offers.some((o) => f.ok('offer.info', { offerId: o.id }).results.versions.length > 1)).toBe(true);
    const values = [...f.all('candidate.list').records, ...apps, ...f.all('job.list', ALL_JOBS).records].flatMap(
      (r) => r.customFields,
    );
    const shapes = new Set(
      values.map((v: any) =>
        Array.isArray(v.value) ? 'array' : typeof v.value === 'object' ? (v.value.type ?? 'currency') : typeof v.value,
      ),
    );
    expect([...shapes].sort()).toEqual([
      'array',
      'boolean',
      'compensation-range',
      'currency',
      'number',
      'number-range',
      'string',
    ]);
    expect(values.some((v: any) => typeof v.valueLabel === 'string')).toBe(true);
    expect(values.some((v: any) => Array.isArray(v.valueLabel))).toBe(true);
  });

  it.each([
    'approval.list',
    'project.list',
    'jobTemplate.list',
    'interviewerPool.list',
    'surveyFormDefinition.list',
    'feedbackFormDefinition.list',
    'closeReason.list',
    'archiveReason.list',
    'opening.list',
    'interviewPlan.list',
    'customField.list',
    'candidateTag.list',
    'hiringTeamRole.list',
  ])('%s is not empty', (endpoint) => {
    expect(f.ok(endpoint).results.length).toBeGreaterThan(0);
  });
});
