import { loadContract } from '../../src/avro/contract.js';
import { createCommandMapper } from '../../src/sink/operations/command-mapping.js';
import { MetadataCache, dryRunProblems } from '../../src/sink/dry-run.js';
import type { AshbyCaller } from '../../src/sink/reconcile.js';
import { fixture } from '../sandbox/helpers/sandbox-fixture.js';

/** The dry run flags each kind of bad command against the sandbox's live metadata, reading only. */

const f = fixture({ scale: 300 });
const mapper = createCommandMapper(loadContract());
const ashby: AshbyCaller = {
  async call<T>(endpoint: string, body: Record<string, unknown> = {}) {
    const r = f.call(endpoint, body);
    if (!r.json?.success) throw new Error(`${endpoint}: ${r.json?.errorInfo?.code}`);
    return { results: r.json.results as T, warnings: [] };
  },
};
const jobs = f.all('job.list', { status: ['Open'] }).records.filter((j) => !j.confidential);
const [job, otherJob] = [jobs[0]!, jobs[1]!];
const stageOf = (j: any, type: string) =>
  f.ok('interviewStage.list', { interviewPlanId: j.defaultInterviewPlanId }).results.find((s: any) => s.type === type)
    .id as string;
const app = f.ok('application.create', {
  candidateId: f.ok('candidate.create', { name: 'Dry Run' }).results.id,
  jobId: job.id,
}).results;
const reason = f.ok('archiveReason.list').results.find((r: any) => !r.isArchived).id;
const fields = f.ok('customField.list').results as any[];
const field = (objectType: string, fieldType: string) =>
  fields.find((x) => x.objectType === objectType && x.fieldType === fieldType && !x.isArchived);
const MISSING = '00000000-0000-4000-8000-00000000beef';

async function problems(
  entity: 'candidate' | 'application',
  command: Record<string, unknown>,
  cache = new MetadataCache(ashby),
) {
  const plan = mapper.commandToRequests(entity, mapper.parseJsonCommand(entity, command));
  return dryRunProblems(plan, cache);
}

describe('dry run', () => {
  it('passes good commands', async () => {
    expect(
      await problems('application', {
        operation: 'changeStage',
        applicationId: app.id,
        interviewStageId: stageOf(job, 'Active'),
      }),
    ).toEqual([]);
    expect(
      await problems('application', {
        operation: 'archive',
        applicationId: app.id,
        interviewStageId: stageOf(job, 'Archived'),
        archiveReasonId: reason,
      }),
    ).toEqual([]);
  });

  it("flags a stage outside the application's job's interview plan", async () => {
    expect(
      await problems('application', {
        operation: 'changeStage',
        applicationId: app.id,
        interviewStageId: stageOf(otherJob, 'Active'),
      }),
    ).toEqual([expect.stringMatching(/is not in the interview plan of the application's job/)]);
  });

  it('flags an archive reason, tag, source or user that does not exist', async () => {
    expect(
      await problems('application', {
        operation: 'archive',
        applicationId: app.id,
        interviewStageId: stageOf(job, 'Archived'),
        archiveReasonId: MISSING,
      }),
    ).toEqual([`archiveReasonId ${MISSING} is not an archive reason in Ashby`]);
    expect(await problems('candidate', { operation: 'addTag', candidateId: MISSING, tagId: MISSING })).toEqual([
      expect.stringMatching(/^tagId .* candidate tag/),
    ]);
    expect(
      await problems('candidate', { operation: 'create', name: 'X', sourceId: MISSING, creditedToUserId: MISSING }),
    ).toEqual([expect.stringMatching(/^sourceId/), expect.stringMatching(/^creditedToUserId/)]);
    expect(
      await problems('application', {
        operation: 'addHiringTeamMember',
        applicationId: app.id,
        teamMemberId: MISSING,
        roleId: MISSING,
      }),
    ).toEqual([expect.stringMatching(/^teamMemberId/)]);
  });

  it('flags unknown custom fields, fields of another object type, and values that do not fit the type', async () => {
    const num = field('Candidate', 'Number');
    const select = field('Candidate', 'ValueSelect');
    const jobField = fields.find((x) => x.objectType === 'Job' && !x.isArchived);
    const found = await problems('candidate', {
      operation: 'update',
      candidateId: MISSING,
      customFields: [
        { fieldId: MISSING, fieldValue: '1' },
        { fieldId: jobField.id, fieldValue: '"x"' },
        ...(num ? [{ fieldId: num.id, fieldValue: '"not a number"' }] : []),
        ...(select ? [{ fieldId: select.id, fieldValue: '"no-such-option"' }] : []),
      ],
    });
    expect(found).toEqual([
      `custom field ${MISSING} does not exist`,
      expect.stringMatching(/belongs to Job records, not Candidate/),
      ...(num ? [expect.stringMatching(/takes a number/)] : []),
      ...(select ? [expect.stringMatching(/takes one of/)] : []),
    ]);
  });

  it('reads each metadata list once per pass, and writes nothing', async () => {
    const cache = new MetadataCache(ashby);
    f.admin.resetCallLog();
    for (let i = 0; i < 5; i++)
      await problems('candidate', { operation: 'addTag', candidateId: MISSING, tagId: MISSING }, cache);
    expect(f.admin.callLog({ path: 'candidateTag.list' })).toHaveLength(1);
    expect(f.admin.callLog().filter((c) => !/\.(list|info|search)$/.test(c.path))).toEqual([]);
  });
});
