import { CATALOG, type OperationCatalog } from '../../src/sink/operations/catalog.js';
import type { OpenApiDoc, Property, Shape } from './openapi.js';

/**
 * The destination's command schemas: which Ashby write endpoints each operation calls (declared
 * in the sink's operation catalog, src/sink/operations/catalog.ts). The
 * generator takes every body parameter of those endpoints, under Ashby's own name, so users
 * can read Ashby's API docs for their meaning. Input of the generator only.
 */
export type CommandEntity = 'candidate' | 'job' | 'application' | 'offer' | 'interview_schedule';

export interface OperationSpec {
  operation: string;
  /** Endpoints whose body parameters the operation takes (in call order). */
  endpoints: readonly string[];
  doc: string;
  /** Parameters filled at run time from an earlier call's result, never by the user. */
  runtimeParams?: readonly string[];
  /** Parameters required by this operation beyond the endpoints' own required lists. */
  alsoRequires?: readonly string[];
}

export interface EntitySpec {
  entity: CommandEntity;
  record: string;
  doc: string;
  operations: readonly OperationSpec[];
  /** objectType for customField.setValues; absent when Ashby cannot set custom fields on the entity. */
  customFieldsObjectType?: string;
  /** Operations that may carry customFields (applied after the main call). */
  customFieldOperations?: readonly string[];
}

/** What the generator needs of each entity beyond its operations. */
const ENTITIES: ReadonlyArray<{ entity: CommandEntity; record: string; doc: string }> = [
  {
    entity: 'candidate',
    record: 'CandidateCommand',
    doc: "A change to apply to an Ashby candidate. Field names are the parameters of Ashby's candidate.* write endpoints.",
  },
  {
    entity: 'job',
    record: 'JobCommand',
    doc: "A change to apply to an Ashby job. Field names are the parameters of Ashby's job.* write endpoints.",
  },
  {
    entity: 'application',
    record: 'ApplicationCommand',
    doc: "A change to apply to an Ashby application. Field names are the parameters of Ashby's application.* write endpoints.",
  },
  {
    entity: 'offer',
    record: 'OfferCommand',
    doc:
      "A change to apply to an Ashby offer. Field names are the parameters of Ashby's offer write endpoints. " +
      'Offers have no customFields: Ashby sets offer custom fields through the offer form (offerForm.fieldSubmissions).',
  },
  {
    entity: 'interview_schedule',
    record: 'InterviewScheduleCommand',
    doc:
      "A change to apply to an Ashby interview schedule. Field names are the parameters of Ashby's interviewSchedule.* write endpoints " +
      '(interviewSchedule.cancel takes the schedule as interviewScheduleId, like update; the sink sends it as id).',
  },
];

/** The command schemas' specs: the operations (and their custom fields) come from the sink's operation catalog. */
export function commandSpecs(catalog: OperationCatalog = CATALOG): EntitySpec[] {
  return ENTITIES.map((e) => {
    const ops = catalog.operationsOf(e.entity);
    const withCustomFields = ops.filter((o) => o.customFields);
    return {
      ...e,
      operations: ops.map((o) => ({
        operation: o.operation,
        endpoints: o.schema.endpoints,
        doc: o.schema.doc,
        ...(o.schema.runtimeParams ? { runtimeParams: o.schema.runtimeParams } : {}),
        ...(o.schema.alsoRequires ? { alsoRequires: o.schema.alsoRequires } : {}),
      })),
      ...(withCustomFields.length
        ? {
            customFieldsObjectType: withCustomFields[0]!.customFields!.objectType,
            customFieldOperations: withCustomFields.map((o) => o.operation),
          }
        : {}),
    };
  });
}

export const COMMAND_SPECS: readonly EntitySpec[] = commandSpecs();

/** Response-shaping parameters the destination sets itself; not part of a command. */
export const EXCLUDED_PARAMS: ReadonlySet<string> = new Set(['excludeFormDefinition']);

/**
 * Endpoints the OpenAPI document does not describe yet. offer.setStatus was announced in
 * Ashby's 2026-07 changelog (docs/ashby-api.md §5.6); its parameter names are unverified (❓).
 */
/** The file of an upload: an https URL the sink downloads, or inline bytes (base64). */
const fileSpec = (what: string): Shape => ({
  kind: 'object',
  nullable: false,
  description: `The ${what}: give url (https; the sink downloads it under destination.files limits) or bytes (base64, up to destination.files.max_inline_bytes).`,
  properties: [
    {
      name: 'url',
      required: false,
      shape: {
        kind: 'string',
        nullable: false,
        description: 'An https URL of the file (a signed URL works; its query string is never logged).',
      },
    },
    {
      name: 'bytes',
      required: false,
      shape: { kind: 'string', nullable: false, description: 'The file itself, base64-encoded.' },
    },
    {
      name: 'filename',
      required: false,
      shape: {
        kind: 'string',
        nullable: false,
        description: 'The file name in Ashby (default: from the download); also how an unknown outcome is settled.',
      },
    },
    {
      name: 'contentType',
      required: false,
      shape: {
        kind: 'string',
        nullable: false,
        description: 'The media type (default: what the download says; application/octet-stream inline).',
      },
    },
  ],
});
const candidateIdParam = {
  name: 'candidateId',
  required: true,
  shape: { kind: 'string', nullable: false, description: 'The id of the candidate' },
} as const;

/** An event of interviewSchedule.create, as the spec declares it. */
function scheduleEvent(doc: OpenApiDoc): Extract<Shape, { kind: 'object' }> {
  const create = doc.requestShape('interviewSchedule.create');
  const events = create.kind === 'object' ? create.properties.find((p) => p.name === 'interviewEvents') : undefined;
  const item = events?.shape.kind === 'array' ? events.shape.items : undefined;
  if (item?.kind !== 'object') throw new Error('interviewSchedule.create: interviewEvents items are not objects');
  return item;
}

const interviewScheduleIdParam = (description: string): Property => ({
  name: 'interviewScheduleId',
  required: true,
  shape: { kind: 'string', nullable: false, description },
});

/**
 * Request shapes the generator takes instead of the spec's: a shape, or one built from the spec.
 * interviewSchedule.update's `oneOf` (one event or a list; one id or a list) becomes the list
 * (the sink always sends a list); interviewSchedule.cancel names the schedule as update does.
 */
export const MANUAL_REQUEST_SHAPES: Readonly<Record<string, Shape | ((doc: OpenApiDoc) => Shape)>> = {
  'interviewSchedule.update': (doc) => {
    const event = scheduleEvent(doc);
    return {
      kind: 'object',
      nullable: false,
      properties: [
        interviewScheduleIdParam(
          'The id of the interview schedule to update. Only schedules created with the same API key can be updated.',
        ),
        {
          name: 'interviewEvent',
          required: false,
          shape: {
            kind: 'array',
            nullable: false,
            description:
              'Events to add to the schedule, or (with interviewEventId) to change. Give this or interviewEventIdToCancel.',
            items: {
              ...event,
              properties: [
                {
                  name: 'interviewEventId',
                  required: false,
                  shape: { kind: 'string', nullable: false, description: 'The id of an event to change.' },
                },
                ...event.properties,
              ],
            },
          },
        },
        {
          name: 'interviewEventIdToCancel',
          required: false,
          shape: {
            kind: 'array',
            nullable: false,
            description: 'The ids of the events to cancel. Give this or interviewEvent.',
            items: { kind: 'string', nullable: false },
          },
        },
        {
          name: 'allowFeedbackDeletion',
          required: false,
          shape: {
            kind: 'boolean',
            nullable: false,
            description:
              'Cancel events with submitted feedback too (their feedback is deleted). Default false: such events are not cancelled.',
          },
        },
      ],
    };
  },
  'interviewSchedule.cancel': {
    kind: 'object',
    nullable: false,
    properties: [
      interviewScheduleIdParam('The id of the interview schedule to cancel (sent to Ashby as id).'),
      {
        name: 'allowReschedule',
        required: false,
        shape: { kind: 'boolean', nullable: false, description: 'Whether this interview schedule can be rescheduled.' },
      },
    ],
  },
  // Multipart uploads (the spec's JSON form takes a presigned-upload handle instead).
  'candidate.uploadFile': {
    kind: 'object',
    nullable: false,
    properties: [candidateIdParam, { name: 'file', required: true, shape: fileSpec('file to attach') }],
  },
  'candidate.uploadResume': {
    kind: 'object',
    nullable: false,
    properties: [candidateIdParam, { name: 'resume', required: true, shape: fileSpec('resume') }],
  },
  'offer.setStatus': {
    kind: 'object',
    nullable: false,
    properties: [
      {
        name: 'offerId',
        required: true,
        shape: { kind: 'string', nullable: false, description: 'The id of the offer whose acceptance status to set.' },
      },
      {
        name: 'acceptanceStatus',
        required: true,
        shape: {
          kind: 'string',
          nullable: false,
          enum: ['Accepted', 'Declined', 'Pending', 'Created', 'Cancelled', 'WaitingOnResponse'],
          description:
            "The acceptance status to set (offerStatus is derived from it by Ashby). Parameter name per Ashby's changelog; unverified.",
        },
      },
    ],
  },
};

/** Parameters whose value is free-form although the spec types them as string, with their docs. */
export const COMMAND_JSON_PARAMS: Readonly<Record<string, string>> = {
  'offerForm.fieldSubmissions[].value':
    'The value for the form field, as JSON in the shape its type needs (docs/ashby-api.md §5.2): Boolean true, Number 42, String/Email/Phone "text", ' +
    'Date "2025-01-31", ValueSelect "option-value", MultiValueSelect ["a","b"], Currency {"currencyCode":"USD","value":100000}.',
};
