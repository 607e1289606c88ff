import { fixture } from './helpers/sandbox-fixture.js';

/**
 * Confidential jobs and projects, their applications and candidates, are invisible to keys without
 * the confidential option; private custom-field values and private notes need the private-fields
 * option (docs/ashby-api.md §4.3).
 */

const f = fixture({ scale: 400 });
const RO = 'sandbox_readonly';

const allJobs = f.all('job.list', { status: ['Draft', 'Open', 'Closed', 'Archived'] }).records;
const confidentialJob = allJobs.find((j) => j.confidential && j.status === 'Open')!;
const allApps = f.all('application.list').records;
const confidentialApps = allApps.filter((a) => a.job.id === confidentialJob.id);
const candidates = f.all('candidate.list').records;
const appJob = new Map(allApps.map((a) => [a.id, a.job.id]));
const isConfidentialApp = (id: string) => allJobs.find((j) => j.id === appJob.get(id))?.confidential === true;
const hiddenCandidate = candidates.find(
  (c) => c.applicationIds.length > 0 && c.applicationIds.every(isConfidentialApp),
)!;
const mixedCandidate = candidates.find(
  (c) => c.applicationIds.some(isConfidentialApp) && c.applicationIds.some((id: string) => !isConfidentialApp(id)),
);

it('the dataset has confidential jobs with applications and candidates only attached to them', () => {
  expect(confidentialJob).toMatchObject({ confidential: true });
  expect(confidentialApps.length).toBeGreaterThan(0);
  expect(hiddenCandidate?.applicationIds.length).toBeGreaterThan(0);
  expect(hiddenCandidate!.applicationIds.every(isConfidentialApp)).toBe(true);
});

it('hides confidential jobs from job.list and job.info', () => {
  const visible = f.all('job.list', { status: ['Draft', 'Open', 'Closed', 'Archived'] }, RO).records;
  expect(visible.some((j) => j.confidential)).toBe(false);
  expect(visible).toHaveLength(allJobs.filter((j) => !j.confidential).length);
  expect(f.call('job.info', { id: confidentialJob.id }, RO).json.errorInfo.code).toBe('job_not_found');
});

it('hides their applications from application.list and application.info', () => {
  const visible = f.all('application.list', {}, RO).records;
  expect(visible).toHaveLength(allApps.length - allApps.filter((a) => isConfidentialApp(a.id)).length);
  expect(visible.some((a) => a.job.id === confidentialJob.id)).toBe(false);
  expect(f.call('application.info', { applicationId: confidentialApps[0].id }, RO).json.errorInfo.code).toBe(
    'application_not_found',
  );
});

it('hides candidates attached only to confidential jobs, and confidential ids from applicationIds', () => {
  const visible = f.all('candidate.list', {}, RO).records;
  expect(visible.some((c) => c.id === hiddenCandidate.id)).toBe(false);
  expect(f.call('candidate.info', { id: hiddenCandidate.id }, RO).json.errorInfo.code).toBe('candidate_not_found');
  if (mixedCandidate) {
    const seen = f.ok('candidate.info', { id: mixedCandidate.id }, RO).results;
    expect(seen.applicationIds).toEqual(mixedCandidate.applicationIds.filter((id: string) => !isConfidentialApp(id)));
  }
});

it('hides confidential projects', () => {
  const all = f.all('project.list').records;
  const visible = f.all('project.list', {}, RO).records;
  expect(all.some((p) => p.confidential)).toBe(true);
  expect(visible.some((p) => p.confidential)).toBe(false);
  expect(f.call('project.info', { projectId: all.find((p) => p.confidential).id }, RO).json.errorInfo.code).toBe(
    'project_not_found',
  );
});

it('hides offers, schedules and feedback of confidential applications', () => {
  for (const endpoint of ['offer.list', 'interviewSchedule.list', 'applicationFeedback.list']) {
    const all = f.all(endpoint).records;
    const visible = f.all(endpoint, {}, RO).records;
    expect(all.some((r) => isConfidentialApp(r.applicationId))).toBe(true);
    expect(visible.some((r) => isConfidentialApp(r.applicationId))).toBe(false);
  }
});

it('drops private custom-field values for keys without private-field access', () => {
  const withPrivate = candidates.find((c) => c.customFields.some((v: any) => v.isPrivate))!;
  expect(withPrivate?.customFields.filter((v: any) => v.isPrivate)).toHaveLength(1);
  const seen = f.ok('candidate.info', { id: withPrivate.id }, RO).results;
  expect(seen.customFields.some((v: any) => v.isPrivate)).toBe(false);
  expect(seen.customFields).toHaveLength(withPrivate.customFields.length - 1);
});

it('hides private notes from keys without private-field access', () => {
  const visibleToReadonly = f.all('candidate.list', {}, RO).records;
  const candidate = visibleToReadonly.find((c) =>
    f.ok('candidate.listNotes', { candidateId: c.id }).results.some((n: any) => n.isPrivate),
  )!;
  const all = f.ok('candidate.listNotes', { candidateId: candidate.id }).results;
  const visible = f.ok('candidate.listNotes', { candidateId: candidate.id }, RO).results;
  expect(visible).toEqual(all.filter((n: any) => !n.isPrivate));
});
