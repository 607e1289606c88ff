import { Type, type Static } from '@sinclair/typebox';
import {
  CustomFieldValue,
  EmploymentType,
  Enum,
  ExtraData,
  FormDefinition,
  HiringTeamMember,
  Interval,
  Opt,
  PostalAddress,
  Timestamp,
  User,
  Uuid,
  WorkplaceType,
  observed,
} from './common.js';
import { Location } from './organization.js';

export const OpeningState = Enum(['Approved', 'Closed', 'Draft', 'Filled', 'Open']);

/** opening.list / opening.info, and the `openings` expansion of jobs and applications (docs/ashby-api.md §5.7). */
export const Opening = Type.Object({
  id: Uuid,
  openedAt: Opt(Timestamp),
  closedAt: Opt(Timestamp),
  isArchived: Type.Boolean(),
  archivedAt: Opt(Timestamp),
  closeReasonId: Opt(Uuid),
  openingState: OpeningState,
  latestVersion: Opt(
    Type.Object({
      id: Uuid,
      identifier: Type.String(),
      description: Type.String(),
      authorId: Uuid,
      createdAt: Timestamp,
      teamId: Opt(Uuid),
      jobIds: Type.Array(Uuid),
      targetHireDate: Opt(Type.String({ description: 'YYYY-MM-DD' })),
      targetStartDate: Opt(Type.String({ description: 'YYYY-MM-DD' })),
      isBackfill: Type.Boolean(),
      employmentType: EmploymentType,
      locationIds: Type.Array(Uuid),
      hiringTeam: Type.Array(HiringTeamMember),
      customFields: Type.Array(CustomFieldValue),
    }),
  ),
});
export type Opening = Static<typeof Opening>;

export const CompensationType = Enum(['Salary', 'EquityPercentage', 'EquityCashValue', 'Commission', 'Bonus']);

export const CompensationComponent = Type.Object({
  id: Type.String(),
  summary: Type.String(),
  compensationType: CompensationType,
  interval: Interval,
  currencyCode: Opt(Type.String()),
  label: Opt(Type.String()),
  minValue: Opt(Type.Number()),
  maxValue: Opt(Type.Number()),
});

export const CompensationTier = Type.Object({
  id: Uuid,
  title: Opt(Type.String()),
  additionalInformation: Opt(Type.String()),
  components: Type.Array(CompensationComponent),
  tierSummary: Type.String(),
});

/** Expansions documented on job.info (and job.list's expand) but not on the job writes or job.search. */
const EXPAND_ONLY = observed('expand of job.list/job.info only', 'notInSpec');

export const JobStatus = Enum(['Draft', 'Open', 'Closed', 'Archived']);
export type JobStatus = Static<typeof JobStatus>;

/** job.list / job.info / job.search and the job writes (docs/ashby-api.md §5.4). */
export const Job = Type.Object({
  id: Uuid,
  title: Type.String(),
  confidential: Type.Boolean(),
  status: JobStatus,
  employmentType: EmploymentType,
  locationId: Opt(Uuid),
  /** The team; writes call it teamId. */
  departmentId: Opt(Uuid),
  defaultInterviewPlanId: Opt(Uuid),
  interviewPlanIds: Opt(Type.Array(Uuid)),
  customFields: Opt(Type.Array(CustomFieldValue)),
  jobPostingIds: Opt(Type.Array(Uuid)),
  customRequisitionId: Opt(Type.String()),
  brandId: Opt(Uuid),
  hiringTeam: Opt(Type.Array(HiringTeamMember)),
  author: Opt(User),
  createdAt: Opt(Timestamp),
  updatedAt: Timestamp,
  openedAt: Opt(Timestamp),
  closedAt: Opt(Timestamp),
  /** Only with expand=location. */
  location: Opt(Type.Object(Location.properties, EXPAND_ONLY)),
  /** Only with expand=openings. */
  openings: Opt(Type.Array(Opening, EXPAND_ONLY)),
  /** Expand-only per the spec. */
  compensation: Opt(Type.Object({ compensationTiers: Opt(Type.Array(CompensationTier)) }, EXPAND_ONLY)),
});
export type Job = Static<typeof Job>;

/** jobPosting.list items (single page, docs/ashby-api.md §5.7). */
export const JobPostingSummary = Type.Object({
  id: Uuid,
  title: Type.String(),
  jobId: Uuid,
  departmentName: Type.String(),
  teamName: Type.String(),
  locationName: Type.String(),
  locationExternalName: Type.Optional(
    Type.String(observed('recorded jobPosting.list (docs/ashby-api.md §5.7)', 'notInSpec')),
  ),
  locationIds: Type.Object({ primaryLocationId: Uuid, secondaryLocationIds: Type.Array(Uuid) }),
  workplaceType: Opt(WorkplaceType),
  employmentType: EmploymentType,
  isListed: Type.Boolean(),
  publishedDate: Type.String({ description: 'YYYY-MM-DD' }),
  applicationDeadline: Opt(Timestamp),
  externalLink: Opt(Type.String()),
  applyLink: Type.String(),
  compensationTierSummary: Opt(Type.String()),
  shouldDisplayCompensationOnJobBoard: Type.Boolean(),
  updatedAt: Timestamp,
});
export type JobPostingSummary = Static<typeof JobPostingSummary>;

const HtmlPlain = Type.Object({ html: Type.String(), plain: Type.String() });

const CompensationSummaryComponent = Type.Object({
  compensationType: CompensationType,
  interval: Interval,
  currencyCode: Opt(Type.String()),
  label: Opt(Type.String()),
  minValue: Opt(Type.Number()),
  maxValue: Opt(Type.Number()),
  summary: Type.String(),
});

export const SurveyFormDefinition = Type.Object({
  id: Uuid,
  organizationId: Uuid,
  title: Type.String(),
  isArchived: Type.Boolean(),
  isDefaultForm: Type.Boolean(),
  formDefinition: FormDefinition,
  surveyType: Enum(['CandidateDataConsent', 'CandidateExperience', 'Diversity', 'EEOC', 'Questionnaire']),
});

/** jobPosting.info (docs/ashby-api.md §5.7). */
export const JobPosting = Type.Object({
  id: Uuid,
  title: Type.String(),
  descriptionPlain: Type.String(),
  descriptionHtml: Type.String(),
  descriptionSocial: Opt(Type.String()),
  descriptionParts: Type.Object({
    descriptionOpening: Opt(HtmlPlain),
    descriptionBody: Opt(HtmlPlain),
    descriptionClosing: Opt(HtmlPlain),
  }),
  departmentName: Type.String(),
  teamName: Type.String(),
  teamNameHierarchy: Opt(Type.Array(Type.String())),
  jobId: Uuid,
  locationName: Type.String(),
  locationIds: Type.Object({ primaryLocationId: Uuid, secondaryLocationIds: Type.Array(Uuid) }),
  /** schema.org JobPosting JSON-LD; open-ended by design, so kept as a free object. */
  linkedData: ExtraData,
  publishedDate: Type.String({ description: 'YYYY-MM-DD' }),
  applicationDeadline: Opt(Timestamp),
  address: Opt(Type.Object({ postalAddress: Opt(PostalAddress) })),
  isRemote: Opt(Type.Boolean()),
  workplaceType: Opt(WorkplaceType),
  employmentType: EmploymentType,
  applicationFormDefinition: FormDefinition,
  surveyFormDefinitions: Type.Array(SurveyFormDefinition),
  isListed: Type.Boolean(),
  suppressDescriptionOpening: Opt(Type.Boolean()),
  suppressDescriptionClosing: Opt(Type.Boolean()),
  externalLink: Opt(Type.String()),
  applyLink: Type.String(),
  compensation: Type.Object({
    compensationTierSummary: Opt(Type.String()),
    summaryComponents: Opt(Type.Array(CompensationSummaryComponent)),
    compensationTiers: Type.Array(CompensationTier),
    shouldDisplayCompensationOnJobBoard: Type.Optional(
      Type.Boolean(observed('absent from recorded jobPosting.info, which sends shouldDisplayCompensation')),
    ),
    shouldDisplayCompensation: Type.Optional(Type.Boolean(observed('recorded jobPosting.info (👁)', 'notInSpec'))),
  }),
  updatedAt: Timestamp,
  applicationLimitCalloutHtml: Opt(Type.String()),
});
export type JobPosting = Static<typeof JobPosting>;

export const JobCreateBody = Type.Object({
  title: Type.String(),
  /** The department/team id (read back as departmentId). */
  teamId: Uuid,
  locationId: Uuid,
  /** Needed before the job can be opened. */
  defaultInterviewPlanId: Type.Optional(Uuid),
  /** Active templates only. */
  jobTemplateId: Type.Optional(Uuid),
  brandId: Type.Optional(Uuid),
});
export type JobCreateBody = Static<typeof JobCreateBody>;

export const JobUpdateBody = Type.Object({
  jobId: Uuid,
  title: Type.Optional(Type.String()),
  teamId: Type.Optional(Uuid),
  locationId: Type.Optional(Uuid),
  defaultInterviewPlanId: Type.Optional(Uuid),
  customRequisitionId: Type.Optional(Type.String()),
});
export type JobUpdateBody = Static<typeof JobUpdateBody>;

/** Allowed moves (docs/ashby-api.md §5.4): Draft→Open|Archived, Open→Closed, Closed→Draft|Archived, Archived→Draft. */
export const JobSetStatusBody = Type.Object({ jobId: Uuid, status: JobStatus });
export type JobSetStatusBody = Static<typeof JobSetStatusBody>;

/** At least one of the two. */
export const JobSearchBody = Type.Object({
  title: Type.Optional(Type.String()),
  requisitionId: Type.Optional(Type.String()),
});
export type JobSearchBody = Static<typeof JobSearchBody>;
