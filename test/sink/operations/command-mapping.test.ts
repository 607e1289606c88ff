import { commandToRequests, parseJsonCommand } from '../../../src/sink/operations/command-mapping.js';
import { loadContract, type CommandEntity } from '../../../src/avro/contract.js';
import { CommandInvalidError } from '../../../src/avro/errors.js';

const contract = loadContract();

/** A command as the destination gets it from Avro: every schema field present, unset ones null. */
function command(entity: CommandEntity, fields: Record<string, unknown>): Record<string, unknown> {
  const schema = contract.commandSchema(entity) as { fields: Array<{ name: string }> };
  const out = Object.fromEntries(schema.fields.map((f) => [f.name, null]));
  return { ...out, ...fields };
}

function invalid(fn: () => unknown): CommandInvalidError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CommandInvalidError);
    expect(err).toMatchObject({ code: 'COMMAND_INVALID', retriable: false });
    return err as CommandInvalidError;
  }
  throw new Error('expected a CommandInvalidError');
}

describe('candidate commands', () => {
  it("create: candidate.create with Ashby's parameter names, then customField.setValues on the new id", () => {
    const plan = commandToRequests(
      'candidate',
      command('candidate', {
        operation: 'create',
        idempotencyKey: 'crm-42',
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        website: 'https://ada.dev',
        alternateEmailAddresses: ['ada@work.example'],
        location: { city: 'London', region: null, country: 'UK' },
        createdAt: new Date('2024-01-02T03:04:05.006Z'),
        customFields: [
          { fieldId: 'cf-1', fieldValue: ['a', 'b'] },
          { fieldId: 'cf-2', fieldValue: null },
        ],
      }),
    );
    expect(plan).toEqual({
      kind: 'sequence',
      entity: 'candidate',
      operation: 'create',
      idempotencyKey: 'crm-42',
      targetId: undefined,
      steps: [
        {
          id: 'create',
          endpoint: 'candidate.create',
          body: {
            name: 'Ada Lovelace',
            email: 'ada@example.com',
            website: 'https://ada.dev',
            alternateEmailAddresses: ['ada@work.example'],
            location: { city: 'London', country: 'UK' },
            createdAt: '2024-01-02T03:04:05.006Z',
          },
          description: 'create the candidate',
        },
        {
          id: 'customFields',
          endpoint: 'customField.setValues',
          body: {
            objectType: 'Candidate',
            values: [
              { fieldId: 'cf-1', fieldValue: ['a', 'b'] },
              { fieldId: 'cf-2', fieldValue: null },
            ],
          },
          fromResults: { objectId: { step: 'create', path: 'id' } },
          description: 'set 2 custom field value(s) on the candidate',
        },
      ],
    });
  });

  it('update: candidate.update with websiteUrl/alternateEmail; custom fields target the known id', () => {
    const plan = commandToRequests(
      'candidate',
      command('candidate', {
        operation: 'update',
        candidateId: 'c-1',
        websiteUrl: 'https://x.dev',
        alternateEmail: 'x@y.z',
        sendNotifications: false,
        customFields: [{ fieldId: 'cf', fieldValue: 3 }],
      }),
    );
    expect(plan.kind === 'sequence' && plan.steps.map((s) => [s.endpoint, s.body])).toEqual([
      [
        'candidate.update',
        { candidateId: 'c-1', websiteUrl: 'https://x.dev', alternateEmail: 'x@y.z', sendNotifications: false },
      ],
      [
        'customField.setValues',
        { objectId: 'c-1', objectType: 'Candidate', values: [{ fieldId: 'cf', fieldValue: 3 }] },
      ],
    ]);
    expect(plan.targetId).toBe('c-1');
  });

  it('upsert: looks the email up, then updates the match or creates', () => {
    const plan = commandToRequests(
      'candidate',
      command('candidate', {
        operation: 'upsert',
        name: 'Ada',
        email: 'ada@example.com',
        website: 'https://ada.dev',
        alternateEmailAddresses: ['a@b.c', 'd@e.f'],
      }),
    );
    expect(plan).toMatchObject({
      kind: 'upsert',
      lookup: { endpoint: 'candidate.search', body: { email: 'ada@example.com' } },
      whenFound: [
        {
          endpoint: 'candidate.update',
          body: { name: 'Ada', email: 'ada@example.com', websiteUrl: 'https://ada.dev', alternateEmail: 'a@b.c' },
          fromResults: { candidateId: { step: 'lookup', path: '0.id' } },
        },
        {
          endpoint: 'candidate.update',
          body: { alternateEmail: 'd@e.f' },
          fromResults: { candidateId: { step: 'lookup', path: '0.id' } },
        },
      ],
      whenMissing: [
        {
          endpoint: 'candidate.create',
          body: {
            name: 'Ada',
            email: 'ada@example.com',
            website: 'https://ada.dev',
            alternateEmailAddresses: ['a@b.c', 'd@e.f'],
          },
        },
      ],
    });
  });

  it('addTag: candidate.addTag', () => {
    const plan = commandToRequests(
      'candidate',
      command('candidate', { operation: 'addTag', candidateId: 'c-1', tagId: 't-1' }),
    );
    expect(plan.kind === 'sequence' && plan.steps).toEqual([
      {
        id: 'addTag',
        endpoint: 'candidate.addTag',
        body: { candidateId: 'c-1', tagId: 't-1' },
        description: 'tag candidate c-1',
      },
    ]);
  });

  it.each([
    [
      { operation: 'update', candidateId: 'c', website: 'https://x' },
      'website',
      'is not taken by operation update; candidate.update calls it websiteUrl',
    ],
    [
      { operation: 'create', name: 'A', alternateEmail: 'x@y' },
      'alternateEmail',
      'is not taken by operation create; candidate.create calls it alternateEmailAddresses',
    ],
    [{ operation: 'create', email: 'a@b.c' }, 'name', 'is required for operation create'],
    [{ operation: 'upsert', name: 'A' }, 'email', 'is required for operation upsert'],
    [
      { operation: 'addTag', candidateId: 'c', tagId: 't', customFields: [{ fieldId: 'f', fieldValue: 1 }] },
      'customFields',
      'is not taken by operation addTag; it is taken by create, update, upsert',
    ],
    [
      { operation: 'delete' },
      'operation',
      'must be one of create, update, upsert, addTag, removeTag, createNote, uploadFile, uploadResume, got "delete"',
    ],
  ])('rejects %j', (fields, path, problem) => {
    const err = invalid(() => commandToRequests('candidate', command('candidate', fields)));
    expect(err.path).toBe(path);
    expect(err.message).toContain(`candidate command: field ${path} ${problem}`);
  });
});

describe('job and application commands', () => {
  it.each([
    [
      'job',
      { operation: 'create', title: 'Eng', teamId: 'd', locationId: 'l' },
      'job.create',
      { title: 'Eng', teamId: 'd', locationId: 'l' },
    ],
    [
      'job',
      { operation: 'update', jobId: 'j', customRequisitionId: 'R-1' },
      'job.update',
      { jobId: 'j', customRequisitionId: 'R-1' },
    ],
    ['job', { operation: 'setStatus', jobId: 'j', status: 'Open' }, 'job.setStatus', { jobId: 'j', status: 'Open' }],
    [
      'application',
      { operation: 'create', candidateId: 'c', jobId: 'j', interviewStageId: 's' },
      'application.create',
      { candidateId: 'c', jobId: 'j', interviewStageId: 's' },
    ],
    [
      'application',
      { operation: 'update', applicationId: 'a', sourceId: 's', sendNotifications: false },
      'application.update',
      { applicationId: 'a', sourceId: 's', sendNotifications: false },
    ],
    [
      'application',
      {
        operation: 'changeStage',
        applicationId: 'a',
        interviewStageId: 's',
        archiveReasonId: 'r',
        archiveEmail: { communicationTemplateId: 't', sendAt: new Date(0) },
      },
      'application.changeStage',
      {
        applicationId: 'a',
        interviewStageId: 's',
        archiveReasonId: 'r',
        archiveEmail: { communicationTemplateId: 't', sendAt: '1970-01-01T00:00:00.000Z' },
      },
    ],
    [
      'application',
      { operation: 'changeSource', applicationId: 'a', sourceId: 's' },
      'application.changeSource',
      { applicationId: 'a', sourceId: 's' },
    ],
    [
      'application',
      { operation: 'changeSource', applicationId: 'a' },
      'application.changeSource',
      { applicationId: 'a', sourceId: null },
    ],
  ] as const)('%s %j → %s', (entity, fields, endpoint, body) => {
    const plan = commandToRequests(entity, command(entity, fields));
    expect(plan.kind === 'sequence' && plan.steps[0]).toMatchObject({ endpoint, body });
    expect(plan.kind === 'sequence' && plan.steps[0]!.body).toEqual(body);
  });

  it('application create carries its history with ISO instants', () => {
    const plan = commandToRequests(
      'application',
      command('application', {
        operation: 'create',
        candidateId: 'c',
        jobId: 'j',
        applicationHistory: [
          {
            stageId: 's1',
            stageNumber: 0,
            enteredStageAt: new Date('2024-01-01T00:00:00.000Z'),
            archiveReasonId: null,
          },
        ],
      }),
    );
    expect(plan.kind === 'sequence' && plan.steps[0]!.body.applicationHistory).toEqual([
      { stageId: 's1', stageNumber: 0, enteredStageAt: '2024-01-01T00:00:00.000Z' },
    ]);
  });
});

describe('offer commands', () => {
  const offerForm = {
    fieldSubmissions: [
      { path: 'salary', value: { currencyCode: 'USD', value: 100000 } },
      { path: '_systemfield_start_date', value: '2025-01-31' },
    ],
  };

  it('create runs offerProcess.start, offer.start and offer.create, wiring the ids through', () => {
    const plan = commandToRequests('offer', command('offer', { operation: 'create', applicationId: 'a-1', offerForm }));
    expect(plan.kind === 'sequence' && plan.steps).toEqual([
      {
        id: 'offerProcess',
        endpoint: 'offerProcess.start',
        body: { applicationId: 'a-1' },
        description: 'start the offer process of application a-1',
      },
      {
        id: 'offerStart',
        endpoint: 'offer.start',
        body: {},
        fromResults: { offerProcessId: { step: 'offerProcess', path: 'id' } },
        description: 'start a new offer version',
      },
      {
        id: 'create',
        endpoint: 'offer.create',
        body: { offerForm },
        fromResults: {
          offerProcessId: { step: 'offerProcess', path: 'id' },
          offerFormId: { step: 'offerStart', path: 'id' },
        },
        description: 'create the offer from the form',
      },
    ]);
  });

  it.each([
    [{ operation: 'update', offerId: 'o', offerForm }, 'offer.update', { offerId: 'o', offerForm }],
    [
      { operation: 'startApproval', offerVersionId: 'v', note: 'please' },
      'offer.startApprovalProcess',
      { offerVersionId: 'v', note: 'please' },
    ],
    [
      { operation: 'approve', offerVersionId: 'v', approvalStepId: 's', userId: 'u' },
      'offer.approve',
      { offerVersionId: 'v', approvalStepId: 's', userId: 'u' },
    ],
    [
      { operation: 'setStatus', offerId: 'o', acceptanceStatus: 'Accepted' },
      'offer.setStatus',
      { offerId: 'o', acceptanceStatus: 'Accepted' },
    ],
  ])('%j → %s', (fields, endpoint, body) => {
    const plan = commandToRequests('offer', command('offer', fields));
    expect(plan.kind === 'sequence' && plan.steps.map((s) => [s.endpoint, s.body])).toEqual([[endpoint, body]]);
  });

  it("has no customFields (Ashby sets offer custom fields through the form) and checks approve's step/user pairing", () => {
    expect(
      (contract.commandSchema('offer') as { fields: Array<{ name: string }> }).fields.map((f) => f.name),
    ).not.toContain('customFields');
    const err = invalid(() =>
      commandToRequests('offer', command('offer', { operation: 'approve', offerVersionId: 'v', approvalStepId: 's' })),
    );
    expect(err.path).toBe('userId');
  });
});

describe('JSON commands (value_format: json)', () => {
  it('validate against the same schema and give the Avro value', () => {
    const value = parseJsonCommand(
      'candidate',
      JSON.stringify({
        operation: 'update',
        candidateId: 'c-1',
        createdAt: '2024-01-02T03:04:05.006Z',
        customFields: [{ fieldId: 'f', fieldValue: { value: 1, currencyCode: 'USD' } }],
      }),
    );
    expect(value).toMatchObject({
      operation: 'update',
      candidateId: 'c-1',
      createdAt: new Date('2024-01-02T03:04:05.006Z'),
      name: null,
    });
    expect(contract.commandType('candidate').isValid(value)).toBe(true);
    const plan = commandToRequests('candidate', value);
    expect(plan.kind === 'sequence' && plan.steps[0]!.body).toEqual({
      candidateId: 'c-1',
      createdAt: '2024-01-02T03:04:05.006Z',
    });
  });

  it.each([
    ['{"operation":', '', 'is not valid JSON'],
    [{ operation: 'update', candidateid: 'c-1' }, '', 'has fields the schema does not declare: candidateid'],
    [{ operation: 'create', name: 42 }, 'name', 'must be a string, got number 42'],
    [{ operation: 'create', createdAt: 'yesterday' }, 'createdAt', 'must be an ISO-8601 instant with a zone'],
    [{ operation: 'fire' }, 'operation', 'must be one of create, update, upsert, addTag'],
    [{ name: 'A' }, 'operation', 'is required but missing'],
    [{ operation: 'create', location: { town: 'x' } }, 'location', 'has fields the schema does not declare: town'],
    [{ operation: 'create', customFields: [{ fieldValue: 1 }] }, 'customFields[0].fieldId', 'is required but missing'],
  ])('reject %j naming the field', (input, path, problem) => {
    const err = invalid(() => parseJsonCommand('candidate', input as never));
    expect(err.path).toBe(path);
    expect(err.message).toContain(problem);
  });
});
