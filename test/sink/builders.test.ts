import { readFileSync } from 'node:fs';
import { loadContract } from '../../src/avro/contract.js';
import { BUILDERS_PATH, formattedBuilders, renderBuilders } from '../../src/sink/builders-codegen.js';
import {
  commands,
  type CommandsByEntity,
  type InterviewScheduleCreateCommand,
} from '../../src/sink/builders.generated.js';
import { commandToRequests, parseJsonCommand } from '../../src/sink/operations/command-mapping.js';
import { CATALOG } from '../../src/sink/operations/catalog.js';
import { COMMAND_ENTITIES } from '../../src/avro/contract.js';

/** The typed command builders: generated from the command schemas, and what they build is what the sink takes. */
describe('src/sink/builders.generated.ts', () => {
  it('is the generator output for the committed command schemas (npm run docs)', async () => {
    expect(readFileSync(BUILDERS_PATH, 'utf8')).toBe(await formattedBuilders(loadContract()));
  });

  it('has a builder for every operation of the catalog, and none besides', () => {
    for (const entity of COMMAND_ENTITIES)
      expect(Object.keys(commands[entity])).toEqual(CATALOG.operationsOf(entity).map((o) => o.operation));
  });

  it("types each operation's required fields as required and leaves out fields it does not take", () => {
    const text = renderBuilders(loadContract());
    const body = (name: string) => text.slice(text.indexOf(`export interface ${name} {`)).split('\n}\n')[0]!;
    expect(body('InterviewScheduleCreateCommand')).toMatch(/\n {2}applicationId: string;/);
    expect(body('InterviewScheduleCreateCommand')).not.toMatch(/interviewScheduleId/);
    expect(body('InterviewScheduleCancelCommand')).toMatch(/\n {2}interviewScheduleId: string;/);
    expect(body('CandidateUpsertCommand')).toMatch(/\n {2}email: string;/);
    expect(body('CandidateUpdateCommand')).toMatch(/\n {2}email\?: string;/);
    // A required parameter where null unsets: may be left out or null.
    expect(body('ApplicationChangeSourceCommand')).toMatch(/\n {2}sourceId\?: string \| null;/);
  });
});

describe('built commands pass the sink’s own parsing and validation', () => {
  const built: Array<{ [E in keyof CommandsByEntity]: [E, CommandsByEntity[E]] }[keyof CommandsByEntity]> = [
    [
      'candidate',
      commands.candidate.create({ name: 'Ada Lovelace', email: 'ada@example.com', location: { city: 'London' } }),
    ],
    ['candidate', commands.candidate.upsert({ name: 'Ada', email: 'ada@example.com', idempotencyKey: 'hris-1' })],
    ['candidate', commands.candidate.createNote({ candidateId: 'c1', note: { type: 'text/html', value: '<b>x</b>' } })],
    [
      'candidate',
      commands.candidate.uploadFile({ candidateId: 'c1', file: { url: 'https://files.example.com/a.pdf' } }),
    ],
    ['job', commands.job.setStatus({ jobId: 'j1', status: 'Open' })],
    ['application', commands.application.changeSource({ applicationId: 'a1' })],
    [
      'application',
      commands.application.archive({ applicationId: 'a1', interviewStageId: 's1', archiveReasonId: 'r1' }),
    ],
    [
      'offer',
      commands.offer.create({
        applicationId: 'a1',
        offerForm: { fieldSubmissions: [{ path: '_systemfield_start_date', value: '2027-01-04' }] },
      }),
    ],
    [
      'interview_schedule',
      commands.interview_schedule.create({
        applicationId: 'a1',
        interviewEvents: [
          {
            startTime: '2027-03-01T09:00:00.000Z',
            endTime: '2027-03-01T10:00:00.000Z',
            interviewers: [{ email: 'lee@example.com', feedbackRequired: true }],
            extraData: { crm_id: '42' },
          },
        ],
      }),
    ],
    [
      'interview_schedule',
      commands.interview_schedule.update({ interviewScheduleId: 's1', interviewEventIdToCancel: ['e1'] }),
    ],
    ['interview_schedule', commands.interview_schedule.cancel({ interviewScheduleId: 's1', allowReschedule: true })],
  ];

  it.each(built.map(([entity, command]) => [`${entity}.${command.operation}`, entity, command] as const))(
    '%s: parseJsonCommand takes it (as an object and as JSON text) and it plans',
    (_name, entity, command) => {
      const value = parseJsonCommand(entity, command as unknown as Record<string, unknown>);
      expect(parseJsonCommand(entity, JSON.stringify(command))).toEqual(value);
      const plan = commandToRequests(entity, value);
      expect(plan.operation).toBe(command.operation);
    },
  );

  it('the builder sets the operation and keeps the fields', () => {
    const c: InterviewScheduleCreateCommand = commands.interview_schedule.create({
      applicationId: 'a1',
      interviewEvents: [],
    });
    expect(c).toEqual({ operation: 'create', applicationId: 'a1', interviewEvents: [] });
  });

  it('the types refuse a missing required field and a field the operation does not take', () => {
    // @ts-expect-error interviewScheduleId is required for cancel
    commands.interview_schedule.cancel({ allowReschedule: true });
    // @ts-expect-error job.setStatus takes no title
    commands.job.setStatus({ jobId: 'j1', status: 'Open', title: 'x' });
    // The sink refuses them too.
    expect(() =>
      parseJsonCommand('job', { operation: 'setStatus', jobId: 'j1', status: 'Open', title: 'x' }),
    ).not.toThrow();
    expect(() =>
      commandToRequests(
        'job',
        parseJsonCommand('job', { operation: 'setStatus', jobId: 'j1', status: 'Open', title: 'x' }),
      ),
    ).toThrow(/title/);
    expect(() =>
      commandToRequests('interview_schedule', parseJsonCommand('interview_schedule', { operation: 'cancel' })),
    ).toThrow(/interviewScheduleId/);
  });
});
