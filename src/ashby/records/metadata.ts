import { Type, type Static } from '@sinclair/typebox';
import { CustomFieldValue, CustomFieldValueValue, Enum, FormDefinition, Opt, Tag, Timestamp, Uuid } from './common.js';

/** Hiring-process metadata and the other small lists a source streams (docs/ashby-api.md §5.7–5.9). */

export { ArchiveReason, Source } from './common.js';

export const CandidateTag = Tag;
export type CandidateTag = Static<typeof CandidateTag>;

export const CloseReason = Type.Object({ id: Uuid, reasonText: Type.String(), isArchived: Type.Boolean() });
export type CloseReason = Static<typeof CloseReason>;

export const CustomFieldObjectType = Enum([
  'Application',
  'Candidate',
  'Employee',
  'Job',
  'Offer',
  'Opening',
  'Talent_Project',
]);

/** customField.list / customField.info: definitions, not values. */
export const CustomFieldDefinition = Type.Object({
  id: Uuid,
  isPrivate: Opt(Type.Boolean()),
  title: Type.String(),
  objectType: CustomFieldObjectType,
  isArchived: Type.Boolean(),
  fieldType: Enum([
    'MultiValueSelect',
    'NumberRange',
    'String',
    'Date',
    'ValueSelect',
    'Number',
    'Currency',
    'Boolean',
    'LongText',
    'CompensationRange',
    'Url',
    'UUID',
  ]),
  isRequired: Type.Boolean(),
  selectableValues: Opt(
    Type.Array(Type.Object({ label: Opt(Type.String()), value: Opt(Type.String()), isArchived: Opt(Type.Boolean()) })),
  ),
});
export type CustomFieldDefinition = Static<typeof CustomFieldDefinition>;

export const FeedbackFormDefinition = Type.Object({
  id: Uuid,
  organizationId: Uuid,
  title: Type.String(),
  isArchived: Type.Boolean(),
  isDefaultForm: Type.Boolean(),
  formDefinition: FormDefinition,
  interviewId: Opt(Uuid),
});
export type FeedbackFormDefinition = Static<typeof FeedbackFormDefinition>;

/** approval.list (entityType offer/job/opening; for offers entityId is the offer version). */
export const Approval = Type.Object({
  id: Uuid,
  approvalDefinitionId: Uuid,
  entityId: Uuid,
  entityType: Enum(['offer', 'job', 'opening']),
  createdAt: Timestamp,
  submittedAt: Opt(Timestamp),
  completedAt: Opt(Timestamp),
  steps: Type.Array(
    Type.Object({
      id: Uuid,
      approvalsRequired: Type.Integer(),
      completedAt: Opt(Timestamp),
      approvers: Type.Array(
        Type.Object({
          id: Uuid,
          userId: Uuid,
          decision: Enum(['approve', 'reject', 'pending']),
          decidedAt: Opt(Timestamp),
          requestedAt: Opt(Timestamp),
        }),
      ),
    }),
  ),
});
export type Approval = Static<typeof Approval>;

export const Project = Type.Object({
  id: Uuid,
  title: Type.String(),
  description: Opt(Type.String()),
  isArchived: Opt(Type.Boolean()),
  confidential: Opt(Type.Boolean()),
  authorId: Opt(Uuid),
  createdAt: Opt(Timestamp),
  customFieldEntries: Opt(Type.Array(CustomFieldValue)),
});
export type Project = Static<typeof Project>;

/** apiKey.info: scopes look like `candidates:read` (docs/ashby-api.md §4.1). */
export const ApiKeyInfo = Type.Object({
  title: Opt(Type.String()),
  createdAt: Opt(Timestamp),
  scopes: Opt(Type.Array(Type.String())),
});
export type ApiKeyInfo = Static<typeof ApiKeyInfo>;

export const CustomFieldSetValuesBody = Type.Object({
  objectId: Uuid,
  objectType: Enum(['Application', 'Candidate', 'Job', 'Opening']),
  /** null clears a value (🔶). */
  values: Type.Array(Type.Object({ fieldId: Uuid, fieldValue: CustomFieldValueValue })),
});
export type CustomFieldSetValuesBody = Static<typeof CustomFieldSetValuesBody>;
