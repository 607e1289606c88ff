import { CATALOG, type OperationCatalog } from '../../src/sink/operations/catalog.js';
import type { Shape } from './openapi.js';

/**
 * The destination's command schemas: which Ashby write endpoints each operation calls (declared
 * in the sink's operation catalog, src/sink/operations/catalog.ts). The
 * generator takes every body parameter of those endpoints, under Ashby's own name, so users
 * can read Ashby's API docs for their meaning. Input of the generator only.
 */
export type CommandEntity = 'candidate' | 'job' | 'application' | 'offer';

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

export const MANUAL_REQUEST_SHAPES: Readonly<Record<string, Shape>> = {
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
