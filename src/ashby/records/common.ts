import {
  Type,
  type Static,
  type TSchema,
  type TLiteral,
  type TUnion,
  type TOptional,
  type TNull,
} from '@sinclair/typebox';

/**
 * Building blocks for the Ashby record types, written from Ashby's OpenAPI document (the
 * spec) and the recorded traffic (docs/ashby-api.md §5). Two rules make them honest about real
 * payloads (docs/ashby-api.md §5.1):
 * - a field the spec does not require may be absent *or* null (`Opt`);
 * - a field the recordings show absent or null although the spec requires it is marked with
 *   `observed()`, which says where the evidence is.
 * test/ashby/records.test.ts checks every type against the spec and every recording.
 */

/** Spec-optional: may be absent, and Ashby often sends null for unset values (docs/ashby-api.md §5.1). */
export function Opt<T extends TSchema>(schema: T): TOptional<TUnion<[T, TNull]>> {
  return Type.Optional(Type.Union([schema, Type.Null()]));
}

export function Nullable<T extends TSchema>(schema: T): TUnion<[T, TNull]> {
  return Type.Union([schema, Type.Null()]);
}

export function Enum<const V extends readonly string[]>(
  values: V,
  options: Record<string, unknown> = {},
): TUnion<TLiteral<V[number]>[]> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );
}

/**
 * Schema options for a deviation from the spec backed by evidence: `notInSpec` for a property
 * the spec lacks, `loosened` for a spec-required property that real payloads omit or null.
 */
export function observed(evidence: string, kind: 'notInSpec' | 'loosened' = 'loosened'): Record<string, string> {
  return { [`x-${kind}`]: evidence };
}

export const Timestamp = Type.String({ description: 'ISO-8601 UTC with milliseconds, e.g. 2024-02-04T21:38:12.466Z' });
export const Uuid = Type.String({ description: 'Lowercase UUID' });

export const ContactType = Enum(['Personal', 'Work', 'Other']);
export const ContactInfo = Type.Object({ value: Type.String(), type: ContactType, isPrimary: Type.Boolean() });
export type ContactInfo = Static<typeof ContactInfo>;

export const SocialLinkType = Enum([
  'LinkedIn',
  'GitHub',
  'Twitter',
  'Medium',
  'StackOverflow',
  'YouTube',
  'CodePen',
  'Website',
]);
export const SocialLink = Type.Object({ type: SocialLinkType, url: Type.String() });
export type SocialLink = Static<typeof SocialLink>;

/** `handle` is opaque; exchange it with file.info for a short-lived URL. */
export const FileHandle = Type.Object({ id: Uuid, name: Type.String(), handle: Type.String() });
export type FileHandle = Static<typeof FileHandle>;

export const Tag = Type.Object({ id: Uuid, title: Type.String(), isArchived: Type.Boolean() });
export type Tag = Static<typeof Tag>;

export const SourceType = Type.Object({ id: Uuid, title: Type.String(), isArchived: Type.Boolean() });
export const Source = Type.Object({
  id: Uuid,
  title: Type.String(),
  isArchived: Type.Optional(
    Type.Boolean(observed('recorded application.changeSource result sends only id and title (👁)')),
  ),
  sourceType: Opt(SourceType),
});
export type Source = Static<typeof Source>;

export const INTERVALS = [
  'NONE',
  '1 TIME',
  '1 HOUR',
  '1 DAY',
  '1 WEEK',
  '2 WEEK',
  '1 MONTH',
  '2 MONTH',
  '1 YEAR',
  '6 MONTH',
  '0.5 MONTH',
  '3 MONTH',
] as const;
export const Interval = Enum(INTERVALS);

/** The value of a custom field; its shape depends on the field type (docs/ashby-api.md §5.2). */
export const CustomFieldValueValue = Type.Union([
  Type.Boolean(),
  Type.String(),
  Type.Number(),
  Type.Array(Type.String()),
  Type.Object({ value: Type.Number(), currencyCode: Type.String() }),
  Type.Object({
    type: Type.String(),
    minValue: Type.Number(),
    maxValue: Type.Number(),
    currencyCode: Type.Optional(Type.String()),
    interval: Type.Optional(Interval),
  }),
  Type.Null(),
]);

export const CustomFieldValue = Type.Object({
  id: Uuid,
  isPrivate: Opt(Type.Boolean()),
  title: Type.String(),
  valueLabel: Opt(Type.Union([Type.String(), Type.Array(Type.String())])),
  value: CustomFieldValueValue,
});
export type CustomFieldValue = Static<typeof CustomFieldValue>;

export const GlobalRole = Enum(['Organization Admin', 'Elevated Access', 'Limited Access', 'External Recruiter']);
export const User = Type.Object({
  id: Uuid,
  firstName: Type.String(),
  lastName: Type.String(),
  email: Opt(Type.String()),
  globalRole: GlobalRole,
  isEnabled: Type.Boolean(),
  updatedAt: Timestamp,
  managerId: Opt(Uuid),
  customFields: Opt(Type.Array(CustomFieldValue)),
});
export type User = Static<typeof User>;

export const HiringTeamMember = Type.Object({
  userId: Uuid,
  firstName: Type.String(),
  lastName: Type.String(),
  email: Type.String(),
  role: Type.String(),
});
export type HiringTeamMember = Static<typeof HiringTeamMember>;

export const InterviewStageType = Type.String({
  description: 'Lead, PreInterviewScreen, Active, Offer, Hired or Archived',
});
export const InterviewStage = Type.Object({
  id: Uuid,
  title: Type.String(),
  type: InterviewStageType,
  orderInInterviewPlan: Type.Integer(),
  interviewStageGroupId: Opt(Uuid),
  interviewPlanId: Uuid,
});
export type InterviewStage = Static<typeof InterviewStage>;

export const ArchiveReasonType = Enum(['RejectedByCandidate', 'RejectedByOrg', 'Other']);
export const ArchiveReason = Type.Object({
  id: Uuid,
  text: Type.String(),
  reasonType: ArchiveReasonType,
  isArchived: Type.Boolean(),
});
export type ArchiveReason = Static<typeof ArchiveReason>;

export const PostalAddress = Type.Object({
  addressCountry: Opt(Type.String()),
  addressRegion: Opt(Type.String()),
  addressLocality: Opt(Type.String()),
  postalCode: Opt(Type.String()),
  streetAddress: Opt(Type.String()),
});

export const FormField = Type.Object({
  id: Type.String(),
  type: Type.String({
    description:
      'String, Email, Phone, Boolean, Date, Number, Currency, ValueSelect, MultiValueSelect, RichText, Score, File, Location…',
  }),
  path: Type.String(),
  humanReadablePath: Type.String(),
  title: Type.String(),
  isNullable: Type.Boolean(),
  selectableValues: Opt(Type.Array(Type.Object({ label: Type.String(), value: Type.String() }))),
});

export const FormDefinition = Type.Object({
  sections: Opt(
    Type.Array(
      Type.Object({
        title: Opt(Type.String()),
        descriptionHtml: Opt(Type.String()),
        descriptionPlain: Opt(Type.String()),
        fields: Type.Array(
          Type.Object({
            isRequired: Type.Boolean(),
            descriptionHtml: Opt(Type.String()),
            descriptionPlain: Opt(Type.String()),
            field: FormField,
          }),
        ),
      }),
    ),
  ),
});
export type FormDefinition = Static<typeof FormDefinition>;

/** A form answer for writes (offer forms, feedback): `value`'s shape follows the field type (docs/ashby-api.md §5.2). */
export const FieldSubmission = Type.Object({ path: Type.String(), value: Type.Unknown() });
export type FieldSubmission = Static<typeof FieldSubmission>;

export const EmploymentType = Enum(['FullTime', 'PartTime', 'Intern', 'Contract', 'Temporary']);
export type EmploymentType = Static<typeof EmploymentType>;

export const WorkplaceType = Enum(['OnSite', 'Hybrid', 'Remote']);

/** Free-form integrator data (docs/ashby-api.md §5.1 `extraData`). */
export const ExtraData = Type.Record(Type.String(), Type.Unknown());
