import { loadRecordings, FAMILIES, familyOf, type RecordedExchange } from './helpers/recordings.js';
import { compareEnvelope, compareRecords, familyKnowledge, type FamilyKnowledge } from './helpers/shape-compare.js';
import { fixture } from './helpers/sandbox-fixture.js';

/**
 * Replays every recorded real Ashby request (see helpers/recordings.ts) against the sandbox and
 * compares the responses by shape (helpers/shape-compare.ts): same envelope, same field names and
 * types, absent stays absent, null stays null. Recorded ids are anonymised, so each request's ids
 * are swapped for sandbox records of the same kind and state.
 */

const recordings = loadRecordings();
const f = fixture();

const asArray = (results: unknown): unknown[] =>
  Array.isArray(results) ? results : results && typeof results === 'object' ? [results] : [];

const knowledge = new Map<string, FamilyKnowledge>();
for (const family of Object.keys(FAMILIES)) {
  const responses = recordings.filter((x) => familyOf(x.endpoint) === family).map((x) => asArray(x.response.results));
  knowledge.set(family, familyKnowledge(responses));
}

// ---- sandbox records standing in for the anonymised recorded ones ------------------------

const apps = f.all('application.list').records;
const candidates = f.all('candidate.list').records;
const activeApps = apps.filter(
  (a) => a.status === 'Active' && a.currentInterviewStage.type === 'Active' && a.candidate.primaryPhoneNumber,
);
const archivedApp = apps.find((a) => a.status === 'Archived' && a.source)!;
const richCandidate = candidates.find(
  (c) =>
    c.primaryPhoneNumber &&
    c.location &&
    c.resumeFileHandle &&
    c.company &&
    c.school &&
    c.position &&
    c.socialLinks.length,
)!;
const openJobs = f.all('job.list', { status: ['Open'] }).records.filter((j) => !j.confidential);
const closedJob = f.all('job.list', { status: ['Closed'] }).records[0];
const sharedInterview = f.ok('interview.list').results[0];
const posting = f.ok('jobPosting.list').results[0];
const linkedIn = f.ok('source.list').results.find((s: any) => s.title === 'LinkedIn');
const department = f.ok('department.list').results[0];
const user = f.ok('user.list').results[0];

function stageToMove(app: any): string {
  const stages = f.ok('interviewStage.list', { interviewPlanId: app.currentInterviewStage.interviewPlanId }).results;
  return stages.find((s: any) => s.type === 'Active' && s.id !== app.currentInterviewStage.id).id;
}

function jobWithoutApplication(candidate: any): string {
  const applied = new Set(apps.filter((a) => a.candidate.id === candidate.id).map((a) => a.job.id));
  return openJobs.find((j) => !applied.has(j.id))!.id;
}

const SUBSTITUTE: Record<string, (x: RecordedExchange) => Record<string, unknown>> = {
  'application.changeSource': () => ({ applicationId: activeApps[0].id, sourceId: linkedIn.id }),
  'application.changeStage': () => ({ applicationId: activeApps[1].id, interviewStageId: stageToMove(activeApps[1]) }),
  'application.create': () => ({ candidateId: richCandidate.id, jobId: jobWithoutApplication(richCandidate) }),
  'application.info': () => ({ applicationId: archivedApp.id }),
  'application.update': () => ({ applicationId: archivedApp.id }),
  'candidate.createNote': () => ({ candidateId: richCandidate.id }),
  'candidate.info': () => ({ id: richCandidate.id }),
  'candidate.update': () => ({ candidateId: richCandidate.id }),
  'department.info': () => ({ departmentId: department.id }),
  'interview.info': () => ({ id: sharedInterview.id }),
  'jobPosting.info': () => ({ jobPostingId: posting.id }),
  'job.info': () => ({ id: closedJob.id }),
  'user.info': () => ({ userId: user.id }),
};

/** nextCursor of the previous replayed page of the same recording file, for page-2 requests. */
const cursors = new Map<string, string>();

describe('replay of recorded Ashby traffic', () => {
  it('covers every recorded exchange file', () => {
    expect(new Set(recordings.map((x) => x.file)).size).toBe(31);
  });

  it.each(recordings.map((x) => [`${x.file}#${x.index} ${x.endpoint}`, x] as const))('%s', (_name, x) => {
    const body: Record<string, unknown> = { ...x.request, ...(SUBSTITUTE[x.endpoint]?.(x) ?? {}) };
    if (typeof x.request.cursor === 'string') body.cursor = cursors.get(x.file);
    const reply = f.call(x.endpoint, body);
    expect(reply.status).toBe(x.status);
    expect(reply.headers['content-type']).toBe(x.headers['content-type']);
    expect(reply.headers['x-ashby-request-id']).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(reply.json.success).toBe(true);
    if (reply.json.nextCursor) cursors.set(x.file, reply.json.nextCursor);
    const problems = [
      ...compareEnvelope(x.response, reply.json),
      ...compareRecords(
        asArray(x.response.results),
        asArray(reply.json.results),
        knowledge.get(familyOf(x.endpoint) ?? '') ?? familyKnowledge([asArray(x.response.results)]),
      ),
    ];
    expect(problems).toEqual([]);
  });
});
