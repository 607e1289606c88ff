import type { Property } from './openapi.js';

/**
 * Hand-written corrections to what the OpenAPI document says, each with its evidence. The
 * generator applies them on top of the spec; the checked-in schemas are the result.
 * References: docs/ashby-api.md (§5.1 conventions, §5.3–5.9 per entity) and the recorded real
 * Ashby traffic (👁).
 */

/** Names of nested record types, by the JSON field that holds them (arrays: their items). */
export const RECORD_NAMES: Readonly<Record<string, string>> = {
  primaryEmailAddress: 'ContactInfo',
  emailAddresses: 'ContactInfo',
  primaryPhoneNumber: 'ContactInfo',
  phoneNumbers: 'ContactInfo',
  resumeFileHandle: 'FileHandle',
  fileHandles: 'FileHandle',
  customFields: 'CustomFieldValue',
  customFieldEntries: 'CustomFieldValue',
  creditedToUser: 'User',
  author: 'User',
  scheduledBy: 'User',
  submittedByUser: 'User',
  approvers: 'User',
  hiringTeam: 'HiringTeamMember',
  currentInterviewStage: 'InterviewStage',
  candidate: 'CandidateSummary',
  job: 'JobSummary',
  formDefinition: 'FormDefinition',
  interview: 'Interview',
  interviewerPool: 'InterviewerPool',
  openings: 'Opening',
  latestVersion: 'Version',
  location: 'Location',
};

/** Object alternatives of a oneOf, named by their sorted property names. */
export const VARIANT_RECORD_NAMES: Readonly<Record<string, string>> = {
  'currencyCode,value': 'Currency',
  'maxValue,minValue,type': 'NumberRange',
  'currencyCode,interval,maxValue,minValue,type': 'CompensationRange',
};

/**
 * Field names for the alternatives of a oneOf field, by JSON field name and alternative
 * (`boolean`, `number`, `string`, `stringList` or the record name). Default: field + suffix.
 */
export const VARIANT_FIELD_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  valueLabel: { string: 'valueLabel', stringList: 'valueLabels' },
};

/** Date-only strings (`YYYY-MM-DD`) the spec types as plain strings (docs/ashby-api.md §5.1: publishedDate, opening dates). */
export const DATE_FIELDS: ReadonlySet<string> = new Set(['publishedDate', 'targetHireDate', 'targetStartDate']);

/** Instants the spec types as plain strings (offer.decidedAt, an instant or null: docs/ashby-api.md §5.6). */
export const TIMESTAMP_FIELDS: ReadonlySet<string> = new Set(['decidedAt']);

/**
 * Fields Ashby sends as JSON null when unset, rather than omitting them (docs/ashby-api.md §5.1 "Absent vs null",
 * confirmed by the recordings). Spec-nullable fields are treated the same way. The inverse
 * mapping writes null for these and omits the others, so a record round-trips exactly.
 */
export const NULL_WHEN_UNSET: ReadonlySet<string> = new Set([
  'creditedToUser',
  'source',
  'archiveReason',
  'timezone',
  'fraudStatus',
  'customRequisitionId',
  'externalName',
  'extraData',
  'interviewStageGroupId',
  'submitterClientIp',
  'submitterUserAgent',
  'applicationDeadline',
  'instructionsHtml',
  // 👁 application.create: "appliedViaJobPostingId":null for an application made through the API.
  'appliedViaJobPostingId',
  // 👁 application.info applicationHistory: "actorId":null (docs/ashby-api.md §5.5).
  'actorId',
]);

/**
 * Fields real responses carry that the OpenAPI document does not list, by stream and by the
 * dotted path of the object that holds them ('' = the record itself). 👁 = seen in recordings.
 */
export const EXTRA_FIELDS: Readonly<Record<string, Readonly<Record<string, readonly Property[]>>>> = {
  applications: {
    // 👁 application.list/.info/.changeStage: "job":{…,"brandId":"…"}; see docs/ashby-api.md §5.5.
    job: [
      {
        name: 'brandId',
        required: false,
        shape: { kind: 'string', nullable: false, description: 'Id of the employer brand of the job.' },
      },
    ],
  },
  job_postings: {
    // 👁 jobPosting.list: "locationExternalName":"San Francisco"; see docs/ashby-api.md §5.7.
    '': [
      {
        name: 'locationExternalName',
        required: false,
        shape: { kind: 'string', nullable: false, description: 'External (public) name of the primary location.' },
      },
    ],
    // 👁 jobPosting.info: "compensation":{…,"shouldDisplayCompensation":true} (the spec says …OnJobBoard).
    compensation: [
      {
        name: 'shouldDisplayCompensation',
        required: false,
        shape: { kind: 'boolean', nullable: false, description: 'Whether the compensation is shown on the job board.' },
      },
    ],
  },
};

/** Objects kept as JSON although the spec types them, by stream and path. */
export const JSON_FIELDS_AT: Readonly<Record<string, readonly string[]>> = {
  // schema.org JSON-LD (keys like "@context"): meant for search engines, not for columns.
  job_postings: ['linkedData'],
};

/**
 * Spec-required fields real responses omit or fill with something else, by stream
 * (`path.to.field`, `[]` for array items). Optional fields keep a non-fitting value in the
 * catch-all instead of failing the record.
 */
export const OPTIONAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  // 👁 application.create/.update/.changeSource return a stage with only id (and title).
  applications: [
    'currentInterviewStage.title',
    'currentInterviewStage.type',
    'currentInterviewStage.interviewPlanId',
    'currentInterviewStage.orderInInterviewPlan',
    // 👁 application.changeSource returns "source":{"id","title"} without isArchived.
    'source.isArchived',
  ],
  // 👁 the recorded jobPosting.list carries a non-date publishedDate; a posting must not fail the stream for it.
  // 👁 jobPosting.info (the richer shape) has no top-level shouldDisplayCompensationOnJobBoard.
  job_postings: [
    'publishedDate',
    'shouldDisplayCompensationOnJobBoard',
    'compensation.shouldDisplayCompensationOnJobBoard',
  ],
};

/**
 * The opposite of NULL_WHEN_UNSET, for one path of one stream: fields whose spec type does not
 * allow null, so an unset value is left out (the sandbox, validated against the spec, does the
 * same). ❓ No recording shows these fields unset; if Ashby sends null after all, the null lands
 * in the catch-all and the record still round-trips.
 */
export const ABSENT_WHEN_UNSET_AT: Readonly<Record<string, readonly string[]>> = {
  // docs/ashby-api.md §5.9 locations: `extraData` is a plain object in location.list (null is allowed on departments only).
  locations: ['extraData'],
  // interviewEvent.list: `notetakerTranscriptId` is allOf [uuid string, …]; null fails the uuid branch.
  interview_events: ['notetakerTranscriptId'],
  interview_schedules: ['interviewEvents[].notetakerTranscriptId'],
};

/** Like NULL_WHEN_UNSET, for one path of one stream only. */
export const NULL_WHEN_UNSET_AT: Readonly<Record<string, readonly string[]>> = {
  // 👁 job.list: "openedAt":null,"closedAt":null on draft jobs (docs/ashby-api.md §5.4);
  // compensation tiers as in jobPosting.info below.
  jobs: [
    'openedAt',
    'closedAt',
    'compensation.compensationTiers[].title',
    'compensation.compensationTiers[].additionalInformation',
    'compensation.compensationTiers[].components[].currencyCode',
  ],
  // 👁 jobPosting.info: null opening/closing parts, tier title/additionalInformation and currencyCode
  // (docs/ashby-api.md §5.4: a tier's `additionalInformation` may be null).
  job_postings: [
    'descriptionParts.descriptionOpening',
    'descriptionParts.descriptionClosing',
    'compensation.summaryComponents[].currencyCode',
    'compensation.compensationTiers[].title',
    'compensation.compensationTiers[].additionalInformation',
    'compensation.compensationTiers[].components[].currencyCode',
  ],
  // 👁 department.list/.info: "parentId":null on top-level departments.
  departments: ['parentId'],
  // 👁 interview.list/.info: "instructionsPlain":null next to "instructionsHtml":null.
  interviews: ['instructionsPlain'],
};

/** Docs for fields the spec leaves undocumented. */
export const FIELD_DOCS: Readonly<Record<string, string>> = {
  id: 'Ashby id (a UUID).',
  createdAt: 'When the record was created in Ashby.',
  updatedAt: 'When the record was last changed in Ashby.',
  isArchived: 'Whether the record is archived in Ashby.',
  title: 'Title as shown in Ashby.',
  name: 'Name as shown in Ashby.',
  email: 'Email address.',
  firstName: 'First name.',
  lastName: 'Last name.',
  value: 'The value.',
  type: 'Type, as Ashby names it.',
  url: 'URL.',
  handle: 'Opaque file handle; exchange it for a download URL with file.info.',
  isPrimary: 'Whether this is the primary entry.',
  globalRole: "The user's organisation-wide role.",
  isEnabled: 'Whether the user can sign in.',
  managerId: "Id of the user's manager.",
  userId: 'Id of the Ashby user.',
  role: 'Role title, e.g. "Recruiter" or "Hiring Manager".',
  currencyCode: 'ISO 4217 currency code, e.g. "USD".',
  minValue: 'Lower bound.',
  maxValue: 'Upper bound.',
  interval: 'Pay period.',
  label: 'Label shown to users.',
  isPrivate: 'Whether the field is private (visible only to keys allowed to read private fields).',
  sourceType: 'The kind of source, e.g. "Inbound" or "Referral".',
  path: 'Form field path, e.g. "_systemfield_name" or a UUID.',
  humanReadablePath: 'Readable form field path.',
  isNullable: 'Whether the form field may be left empty.',
  isRequired: 'Whether the field is required.',
  descriptionHtml: 'Description as HTML.',
  descriptionPlain: 'Description as plain text.',
  sections: 'Sections of the form.',
  fields: 'Fields of the section.',
  field: 'The form field.',
  selectableValues: 'Options of a select field.',
  interviewPlanId: 'Id of the interview plan.',
  orderInInterviewPlan: 'Position of the stage in its plan (0 = first).',
  interviewStageGroupId: 'Id of the stage group the stage belongs to.',
  locationId: 'Id of the location.',
  departmentId: 'Id of the department (team).',
  brandId: 'Id of the employer brand.',
  jobId: 'Id of the job.',
  applicationId: 'Id of the application.',
  candidateId: 'Id of the candidate.',
  tierSummary: 'Human-readable summary of the compensation tier.',
  summary: 'Human-readable summary.',
  components: 'Components of the compensation tier.',
  compensationType: 'Kind of compensation component.',
  postalAddress: 'Postal address.',
  address: 'Address of the location.',
  trainingPath: 'Training path of the pool.',
  trainingStages: 'Stages of the training path.',
  enabled: 'Whether it is enabled.',
  status: 'Status.',
  reasonType: 'Whether the candidate or the organisation rejected.',
  text: 'Text of the reason.',
  acceptanceStatus: "The candidate's response to the offer.",
  addressCountry: 'Country.',
  addressLocality: 'City or locality.',
  addressRegion: 'State, province or region.',
  postalCode: 'Postal code.',
  streetAddress: 'Street address.',
  applicationHistory: 'The stages the application went through, oldest first.',
  applicationHistoryId: 'Id of the application history entry (stage visit) the feedback belongs to.',
  approvers: 'Users who can approve.',
  archiveReason: 'Why the application was archived; null unless it is archived.',
  archivedAt: 'When it was archived; absent when it never was.',
  author: 'The Ashby user who created it.',
  authorId: 'Id of the Ashby user who created it.',
  closeReasonId: 'Id of the close reason (close_reasons stream).',
  openedAt: 'When it was opened.',
  closedAt: 'When it was closed.',
  code: 'Tracking code of the link.',
  company: "The candidate's current company.",
  position: "The candidate's current position (job title).",
  school: "The candidate's school.",
  confidential: 'Whether it is confidential (visible only to API keys allowed to read confidential jobs and projects).',
  content: 'Text of the note.',
  creditedToUser: 'The user credited with sourcing; null when nobody is.',
  currentInterviewStage: 'The interview stage the application is in now.',
  customFields: 'Custom field values set on the record.',
  decidedAt: 'When the candidate decided on the offer.',
  decision: "The approver's decision.",
  description: 'Description text.',
  emailAddresses: 'All email addresses of the candidate.',
  phoneNumbers: 'All phone numbers of the candidate.',
  primaryEmailAddress: "The candidate's primary email address.",
  primaryPhoneNumber: "The candidate's primary phone number.",
  socialLinks: "Links to the candidate's social profiles.",
  tags: 'Tags applied to the candidate.',
  source: 'Where the candidate came from; null when unknown.',
  sourceId: 'Id of the source (sources stream).',
  employmentType: 'Kind of employment.',
  enteredStageAt: 'When the application entered this stage.',
  leftStageAt: 'When the application left this stage; absent for the current stage.',
  entityType: 'What is being approved.',
  feedbackFormDefinitionId: 'Id of the feedback form definition.',
  fieldSubmissions: 'Values for the fields of the form, by field path.',
  formDefinition: 'The form: sections and their fields.',
  hiringTeam: 'Members of the hiring team and their roles.',
  identifier: 'Identifier of the opening (e.g. a requisition number).',
  intendedTypes: 'Kinds of message the template can be used for.',
  interviewEventId: 'Id of the interview event.',
  interviewId: 'Id of the interview (interviews stream).',
  interviewPlanIds: 'Ids of the interview plans of the job.',
  isBackfill: 'Whether the opening backfills someone who left.',
  isDefaultForm: 'Whether this is the default form.',
  job: 'The job the application is for.',
  jobIds: 'Ids of the jobs the opening is attached to.',
  jobPostingIds: 'Ids of the job postings of the job.',
  latestVersion: 'The latest version.',
  link: 'The tracking URL.',
  locationIds: 'Ids of the locations.',
  primaryLocationId: 'Id of the primary location.',
  secondaryLocationIds: 'Ids of further locations.',
  offerForm: 'The offer form submission.',
  offerStatus: 'Where the offer is in its process (derived by Ashby from approvals and acceptance).',
  openingState: 'State of the opening.',
  order: 'Position in the list.',
  organizationId: 'Id of the Ashby organisation.',
  parentId: 'Id of the parent department; null for a top-level one.',
  parentLocationId: 'Id of the parent location (region).',
  referrals: 'Referrals of the candidate for this application.',
  referredAt: 'When the referral was made.',
  user: 'The Ashby user.',
  salary: 'Base salary of the offer.',
  stageId: 'Id of the interview stage.',
  stageType: 'Kind of stage.',
  steps: 'Approval steps, in order.',
  submittedAt: 'When it was submitted.',
  submittedByUser: 'The user who submitted it.',
  submittedValues: 'Submitted values by form field path, as Ashby returns them.',
  surveyType: 'Kind of survey.',
  targetHireDate: 'Date by which someone should be hired.',
  targetStartDate: 'Date by which the hire should start.',
  teamId: 'Id of the department (team).',
  workplaceType: 'On-site, hybrid or remote.',
};
