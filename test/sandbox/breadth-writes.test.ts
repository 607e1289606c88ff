import { fixture, type FilePart } from './helpers/sandbox-fixture.js';

/** candidate.removeTag / uploadFile / uploadResume, application.transfer / addHiringTeamMember, interviewSchedule.*. */

const f = fixture({ scale: 300 });
const jobs = f.all('job.list', { status: ['Open'] }).records.filter((j) => !j.confidential);
const [jobA, jobB] = [jobs[0]!, jobs[1]!];
const stagesOf = (planId: string) => f.ok('interviewStage.list', { interviewPlanId: planId }).results as any[];
const newCandidate = () => f.ok('candidate.create', { name: 'Breadth Person' }).results;
const newApplication = () => f.ok('application.create', { candidateId: newCandidate().id, jobId: jobA.id }).results;
const users = f.all('user.list').records;
const err = (endpoint: string, body: Record<string, unknown>, key = 'sandbox_full') => {
  const r = f.call(endpoint, body, key);
  expect(r.json.success).toBe(false);
  return r.json.errorInfo as { code: string; message: string };
};

const multipart = (endpoint: string, fields: Record<string, string>, file: FilePart, key = 'sandbox_full') =>
  f.multipart(endpoint, fields, file, key).json;

describe('candidate tags and files', () => {
  it('removeTag takes a tag off, and is a no-op when the tag is not there', () => {
    const c = newCandidate();
    const tag = f.ok('candidateTag.create', { title: 'Breadth' }).results;
    f.ok('candidate.addTag', { candidateId: c.id, tagId: tag.id });
    expect(f.ok('candidate.removeTag', { candidateId: c.id, tagId: tag.id }).results.tags).toEqual([]);
    expect(f.ok('candidate.removeTag', { candidateId: c.id, tagId: tag.id }).results.tags).toEqual([]);
    expect(err('candidate.removeTag', { candidateId: c.id, tagId: '00000000-0000-4000-8000-000000000000' }).code).toBe(
      'candidate_tag_not_found',
    );
  });

  it('uploadFile and uploadResume take multipart/form-data, binary intact, and list the file on the candidate', () => {
    const c = newCandidate();
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x0d, 0x0a, 0x2d, 0x2d]);
    const file = multipart(
      'candidate.uploadFile',
      { candidateId: c.id },
      { part: 'file', name: 'portfolio.pdf', type: 'application/pdf', bytes },
    );
    expect(file.success).toBe(true);
    expect(file.results.fileHandles.map((h: any) => h.name)).toEqual(['portfolio.pdf']);
    const resume = multipart(
      'candidate.uploadResume',
      { candidateId: c.id },
      { part: 'resume', name: 'cv.pdf', type: 'application/pdf', bytes },
    );
    expect(resume.results.resumeFileHandle.name).toBe('cv.pdf');
    const info = f.ok('candidate.info', { id: c.id }).results;
    expect(info.fileHandles.map((h: any) => h.name)).toEqual(['portfolio.pdf', 'cv.pdf']);
    expect(new Set(info.fileHandles.map((h: any) => h.id)).size).toBe(2);
    const log = f.admin.callLog({ path: 'candidate.uploadFile' }).pop() as any;
    expect(log.body.file).toMatchObject({ filename: 'portfolio.pdf', size: bytes.length });
  });

  it('refuses an upload without a file part, and a read-only key', () => {
    const c = newCandidate();
    expect(err('candidate.uploadFile', { candidateId: c.id }).message).toMatch(/file is required/);
    const denied = multipart(
      'candidate.uploadFile',
      { candidateId: c.id },
      { part: 'file', name: 'a.txt', type: 'text/plain', bytes: Buffer.from('x') },
      'sandbox_readonly',
    );
    expect(denied.errorInfo.code).toBe('missing_endpoint_permission');
  });
});

describe('application.transfer / addHiringTeamMember', () => {
  it("moves an application to another job's plan and stage, with a history entry", () => {
    const app = newApplication();
    const target = stagesOf(jobB.defaultInterviewPlanId).find((s) => s.type === 'Active')!;
    const moved = f.ok('application.transfer', {
      applicationId: app.id,
      jobId: jobB.id,
      interviewPlanId: jobB.defaultInterviewPlanId,
      interviewStageId: target.id,
    }).results;
    expect(moved.job.id).toBe(jobB.id);
    expect(moved.currentInterviewStage.id).toBe(target.id);
    const wrongStage = stagesOf(jobA.defaultInterviewPlanId)[0].id;
    expect(
      err('application.transfer', {
        applicationId: app.id,
        jobId: jobB.id,
        interviewPlanId: jobB.defaultInterviewPlanId,
        interviewStageId: wrongStage,
      }).code,
    ).toBe('interview_stage_not_found');
  });

  it('adds a hiring team member once', () => {
    const app = newApplication();
    const roles = f.ok('hiringTeamRole.list', { namesOnly: false }).results;
    const member = f.ok('application.addHiringTeamMember', {
      applicationId: app.id,
      teamMemberId: users[0].id,
      roleId: roles[1].id,
    }).results;
    expect(member).toMatchObject({ userId: users[0].id, role: roles[1].title });
    f.ok('application.addHiringTeamMember', { applicationId: app.id, teamMemberId: users[0].id, roleId: roles[1].id });
    expect(f.ok('application.info', { applicationId: app.id }).results.hiringTeam).toHaveLength(1);
  });
});

describe('interviewSchedule.create / update / cancel', () => {
  const at = (hour: number) => `2030-01-02T${String(hour).padStart(2, '0')}:00:00.000Z`;
  const event = (hour: number) => ({
    startTime: at(hour),
    endTime: at(hour + 1),
    interviewers: [{ email: users[0].email }],
  });

  it('creates, adds and cancels events, and cancels the schedule', () => {
    const app = newApplication();
    const s = f.ok('interviewSchedule.create', { applicationId: app.id, interviewEvents: [event(10)] }).results;
    expect(s).toMatchObject({ status: 'Scheduled', applicationId: app.id });
    expect(s.interviewEvents[0].interviewerUserIds).toEqual([users[0].id]);
    const added = f.ok('interviewSchedule.update', { interviewScheduleId: s.id, interviewEvent: event(12) }).results;
    expect(added.interviewEvents).toHaveLength(2);
    const moved = f.ok('interviewSchedule.update', {
      interviewScheduleId: s.id,
      interviewEvent: { ...event(14), interviewEventId: s.interviewEvents[0].id },
    }).results;
    expect(moved.interviewEvents.find((e: any) => e.id === s.interviewEvents[0].id).startTime).toBe(
      '2030-01-02T14:00:00.000Z',
    );
    const cancelledEvent = f.ok('interviewSchedule.update', {
      interviewScheduleId: s.id,
      interviewEventIdToCancel: s.interviewEvents[0].id,
    }).results;
    expect(cancelledEvent.interviewEvents).toHaveLength(1);
    expect(f.ok('interviewSchedule.cancel', { id: s.id }).results.status).toBe('Cancelled');
    expect(f.all('interviewSchedule.list', { applicationId: app.id }).records.map((r) => r.id)).toContain(s.id);
  });

  it('refuses an unknown interviewer, and schedules this key did not create', () => {
    const app = newApplication();
    expect(
      err('interviewSchedule.create', {
        applicationId: app.id,
        interviewEvents: [{ ...event(9), interviewers: [{ email: 'nobody@example.org' }] }],
      }).code,
    ).toBe('user_not_found');
    const generated = f.all('interviewSchedule.list').records[0];
    expect(err('interviewSchedule.cancel', { id: generated.id }).message).toMatch(/not created by this API key/);
    expect(
      err('interviewSchedule.create', { applicationId: app.id, interviewEvents: [event(9)] }, 'sandbox_readonly').code,
    ).toBe('missing_endpoint_permission');
  });
});
