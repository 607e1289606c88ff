import type { Shape } from './openapi.js';

/**
 * The destination's command schemas: which Ashby write endpoints each operation calls. The
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

export const COMMAND_SPECS: readonly EntitySpec[] = [
  {
    entity: 'candidate',
    record: 'CandidateCommand',
    doc: 'A change to apply to an Ashby candidate. Field names are the parameters of Ashby\'s candidate.* write endpoints.',
    operations: [
      { operation: 'create', endpoints: ['candidate.create'], doc: 'candidate.create' },
      { operation: 'update', endpoints: ['candidate.update'], doc: 'candidate.update' },
      {
        operation: 'upsert',
        endpoints: ['candidate.create'],
        doc: 'candidate.search by email; candidate.update when exactly one candidate matches, candidate.create when none does',
        alsoRequires: ['email'],
      },
      { operation: 'addTag', endpoints: ['candidate.addTag'], doc: 'candidate.addTag' },
    ],
    customFieldsObjectType: 'Candidate',
    customFieldOperations: ['create', 'update', 'upsert'],
  },
  {
    entity: 'job',
    record: 'JobCommand',
    doc: 'A change to apply to an Ashby job. Field names are the parameters of Ashby\'s job.* write endpoints.',
    operations: [
      { operation: 'create', endpoints: ['job.create'], doc: 'job.create' },
      { operation: 'update', endpoints: ['job.update'], doc: 'job.update' },
      { operation: 'setStatus', endpoints: ['job.setStatus'], doc: 'job.setStatus' },
    ],
    customFieldsObjectType: 'Job',
    customFieldOperations: ['create', 'update'],
  },
  {
    entity: 'application',
    record: 'ApplicationCommand',
    doc: 'A change to apply to an Ashby application. Field names are the parameters of Ashby\'s application.* write endpoints.',
    operations: [
      { operation: 'create', endpoints: ['application.create'], doc: 'application.create' },
      { operation: 'update', endpoints: ['application.update'], doc: 'application.update' },
      { operation: 'changeStage', endpoints: ['application.changeStage'], doc: 'application.changeStage' },
      { operation: 'changeSource', endpoints: ['application.changeSource'], doc: 'application.changeSource' },
    ],
    customFieldsObjectType: 'Application',
    customFieldOperations: ['create', 'update'],
  },
  {
    entity: 'offer',
    record: 'OfferCommand',
    doc:
      'A change to apply to an Ashby offer. Field names are the parameters of Ashby\'s offer write endpoints. ' +
      'Offers have no customFields: Ashby sets offer custom fields through the offer form (offerForm.fieldSubmissions).',
    operations: [
      {
        operation: 'create',
        endpoints: ['offerProcess.start', 'offer.start', 'offer.create'],
        doc: 'offerProcess.start, then offer.start, then offer.create with the ids the first two return',
        runtimeParams: ['offerProcessId', 'offerFormId'],
      },
      { operation: 'update', endpoints: ['offer.update'], doc: 'offer.update (creates a new offer version)' },
      { operation: 'startApproval', endpoints: ['offer.startApprovalProcess'], doc: 'offer.startApprovalProcess' },
      { operation: 'approve', endpoints: ['offer.approve'], doc: 'offer.approve' },
      { operation: 'setStatus', endpoints: ['offer.setStatus'], doc: 'offer.setStatus' },
    ],
  },
];

/** Response-shaping parameters the destination sets itself; not part of a command. */
export const EXCLUDED_PARAMS: ReadonlySet<string> = new Set(['excludeFormDefinition']);

/**
 * Endpoints the OpenAPI document does not describe yet. offer.setStatus was announced in
 * Ashby's 2026-07 changelog (ashby-api.md §5.4); its parameter names are unverified (❓).
 */
export const MANUAL_REQUEST_SHAPES: Readonly<Record<string, Shape>> = {
  'offer.setStatus': {
    kind: 'object',
    nullable: false,
    properties: [
      { name: 'offerId', required: true, shape: { kind: 'string', nullable: false, description: 'The id of the offer whose acceptance status to set.' } },
      {
        name: 'acceptanceStatus',
        required: true,
        shape: {
          kind: 'string',
          nullable: false,
          enum: ['Accepted', 'Declined', 'Pending', 'Created', 'Cancelled', 'WaitingOnResponse'],
          description: 'The acceptance status to set (offerStatus is derived from it by Ashby). Parameter name per Ashby\'s changelog; unverified.',
        },
      },
    ],
  },
};

/** Parameters whose value is free-form although the spec types them as string, with their docs. */
export const COMMAND_JSON_PARAMS: Readonly<Record<string, string>> = {
  'offerForm.fieldSubmissions[].value':
    'The value for the form field, as JSON in the shape its type needs (ashby-api.md §5.0): Boolean true, Number 42, String/Email/Phone "text", ' +
    'Date "2025-01-31", ValueSelect "option-value", MultiValueSelect ["a","b"], Currency {"currencyCode":"USD","value":100000}.',
};
