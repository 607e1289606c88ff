import { Kind } from '../data/ids.js';
import { applicationForm } from '../data/forms.js';
import type { JobModel, JobPostingModel, OpeningModel } from '../data/models.js';
import type { DepartmentModel, LocationModel } from '../data/org.js';
import type { InterviewerPoolModel, JobTemplateModel, ProjectModel } from '../data/process.js';
import type { ViewContext } from './context.js';

/** Wire shapes of jobs, postings, openings and the hiring-process records around them (docs/ashby-api.md §5.4, §5.7). */

export interface JobViewOptions {
  includeUnpublishedJobPostingsIds?: boolean;
  expand?: readonly string[];
}

/** A posting is live while its job is open; job.list hides the others unless asked (docs/ashby-api.md §2.4, §5.7). */
export function postingPublished(posting: JobPostingModel, ctx: ViewContext): boolean {
  return ctx.store.get<JobModel>('job', posting.jobId)?.status === 'Open';
}

export function openingView(o: OpeningModel, ctx: ViewContext): Record<string, unknown> {
  const v = o.latestVersion;
  return {
    id: o.id,
    ...(o.openedAt !== undefined ? { openedAt: o.openedAt } : {}),
    ...(o.closedAt !== undefined ? { closedAt: o.closedAt } : {}),
    isArchived: o.isArchived,
    ...(o.archivedAt !== undefined ? { archivedAt: o.archivedAt } : {}),
    ...(o.closeReasonId !== undefined ? { closeReasonId: o.closeReasonId } : {}),
    openingState: o.openingState,
    latestVersion: { ...v, hiringTeam: ctx.hiringTeam(v.hiringTeam), customFields: ctx.customFields(v.customFields) },
  };
}

export function jobView(job: JobModel, ctx: ViewContext, options: JobViewOptions = {}): Record<string, unknown> {
  const postingIds = options.includeUnpublishedJobPostingsIds
    ? job.jobPostingIds
    : job.jobPostingIds.filter((id) => {
        const p = ctx.store.get<JobPostingModel>('jobPosting', id);
        return p !== undefined && postingPublished(p, ctx);
      });
  const out: Record<string, unknown> = {
    id: job.id,
    title: job.title,
    confidential: job.confidential,
    status: job.status,
    employmentType: job.employmentType,
    locationId: job.locationId,
    departmentId: job.departmentId,
  };
  if (job.defaultInterviewPlanId !== undefined) out.defaultInterviewPlanId = job.defaultInterviewPlanId;
  out.interviewPlanIds = job.interviewPlanIds;
  out.jobPostingIds = postingIds;
  out.customFields = ctx.customFields(job.customFields);
  out.hiringTeam = ctx.hiringTeam(job.hiringTeam);
  out.customRequisitionId = job.customRequisitionId;
  out.brandId = job.brandId;
  const author = ctx.user(job.authorId);
  if (author) out.author = author;
  out.createdAt = job.createdAt;
  out.updatedAt = job.updatedAt;
  out.openedAt = job.openedAt;
  out.closedAt = job.closedAt;
  if (options.expand?.includes('location')) {
    const location = ctx.store.get<LocationModel>('location', job.locationId);
    if (location) out.location = locationView(location);
  }
  if (options.expand?.includes('openings')) {
    const openings: unknown[] = [];
    for (const id of job.openingIds) {
      const o = ctx.store.get<OpeningModel>('opening', id);
      if (o) openings.push(openingView(o, ctx));
    }
    out.openings = openings;
  }
  return out;
}

interface PostingContext {
  job: JobModel | undefined;
  team: DepartmentModel | undefined;
  top: DepartmentModel | undefined;
  location: LocationModel | undefined;
  compensation: { summary: string; min: number; max: number };
}

function postingContext(p: JobPostingModel, ctx: ViewContext): PostingContext {
  const job = ctx.store.get<JobModel>('job', p.jobId);
  const team = job && ctx.store.get<DepartmentModel>('department', job.departmentId);
  const top = team?.parentId ? ctx.store.get<DepartmentModel>('department', team.parentId) : team;
  const location = job && ctx.store.get<LocationModel>('location', job.locationId);
  const index = ctx.world.ids.indexOf(Kind.JobPosting, p.id) ?? 0;
  const min = 100_000 + (index % 10) * 10_000;
  const max = min + 50_000;
  return { job, team, top, location, compensation: { summary: `$${min / 1000}K – $${max / 1000}K`, min, max } };
}

function applyLink(p: JobPostingModel): string {
  return `https://jobs.ashbyhq.com/acme/${p.id}`;
}

export function jobPostingSummaryView(p: JobPostingModel, ctx: ViewContext): Record<string, unknown> {
  const pc = postingContext(p, ctx);
  return {
    id: p.id,
    title: p.title,
    jobId: p.jobId,
    departmentName: pc.top?.name ?? '',
    teamName: pc.team?.name ?? '',
    locationName: pc.location?.name ?? '',
    locationExternalName: pc.location?.externalName ?? pc.location?.name ?? '',
    workplaceType: p.workplaceType,
    employmentType: pc.job?.employmentType ?? 'FullTime',
    isListed: p.isListed,
    publishedDate: p.publishedDate,
    applicationDeadline: null,
    externalLink: applyLink(p),
    applyLink: applyLink(p),
    locationIds: { primaryLocationId: pc.job?.locationId ?? '', secondaryLocationIds: [] },
    compensationTierSummary: pc.compensation.summary,
    shouldDisplayCompensationOnJobBoard: true,
    updatedAt: p.updatedAt,
  };
}

const SCHEMA_EMPLOYMENT: Record<string, string> = {
  FullTime: 'FULL_TIME',
  PartTime: 'PART_TIME',
  Contract: 'CONTRACTOR',
  Temporary: 'TEMPORARY',
  Intern: 'INTERN',
};

/** jobPosting.info, shaped after the recorded response (which differs from the spec in places, e.g. `shouldDisplayCompensation`). */
export function jobPostingInfoView(p: JobPostingModel, ctx: ViewContext): Record<string, unknown> {
  const pc = postingContext(p, ctx);
  const body = `We are hiring a ${p.title} to join the ${pc.team?.name ?? ''} team.`;
  const html = `<p>${body}</p>`;
  const postal = pc.location?.address?.postalAddress ?? {};
  const salary = {
    compensationType: 'Salary',
    interval: '1 YEAR',
    currencyCode: 'USD',
    minValue: pc.compensation.min,
    maxValue: pc.compensation.max,
    summary: pc.compensation.summary,
  };
  const tierId = ctx.world.id(Kind.CompensationTier, ctx.world.ids.indexOf(Kind.JobPosting, p.id) ?? 0);
  return {
    id: p.id,
    title: p.title,
    descriptionPlain: body,
    descriptionHtml: html,
    descriptionSocial: `Join Acme as a ${p.title}.`,
    descriptionParts: { descriptionOpening: null, descriptionBody: { html, plain: body }, descriptionClosing: null },
    departmentName: pc.top?.name ?? '',
    teamName: pc.team?.name ?? '',
    teamNameHierarchy: [pc.top?.name, pc.team !== pc.top ? pc.team?.name : undefined].filter((n): n is string => !!n),
    jobId: p.jobId,
    locationName: pc.location?.name ?? '',
    locationIds: { primaryLocationId: pc.job?.locationId ?? '', secondaryLocationIds: [] },
    workplaceType: p.workplaceType,
    linkedData: {
      '@context': 'https://schema.org/',
      '@type': 'JobPosting',
      title: p.title,
      description: html,
      directApply: true,
      identifier: { '@type': 'PropertyValue', name: 'Acme', value: p.id },
      datePosted: p.publishedDate,
      hiringOrganization: { '@type': 'Organization', name: 'Acme', sameAs: 'https://acme.example' },
      jobLocation: {
        '@type': 'Place',
        address: {
          '@type': 'PostalAddress',
          addressLocality: postal.addressLocality ?? pc.location?.name ?? '',
          addressCountry: postal.addressCountry ?? '',
        },
      },
      employmentType: SCHEMA_EMPLOYMENT[pc.job?.employmentType ?? 'FullTime'] ?? 'FULL_TIME',
      baseSalary: {
        '@type': 'MonetaryAmount',
        currency: 'USD',
        value: {
          '@type': 'QuantitativeValue',
          minValue: pc.compensation.min,
          maxValue: pc.compensation.max,
          unitText: 'YEAR',
        },
      },
    },
    publishedDate: p.publishedDate,
    address: { postalAddress: postal },
    applicationDeadline: null,
    isRemote: p.workplaceType === 'Remote',
    employmentType: pc.job?.employmentType ?? 'FullTime',
    applicationFormDefinition: applicationForm(ctx.world),
    surveyFormDefinitions: [],
    isListed: p.isListed,
    suppressDescriptionOpening: false,
    suppressDescriptionClosing: false,
    externalLink: applyLink(p),
    applyLink: applyLink(p),
    compensation: {
      compensationTierSummary: pc.compensation.summary,
      summaryComponents: [salary],
      compensationTiers: [
        {
          id: tierId,
          tierSummary: pc.compensation.summary,
          title: null,
          additionalInformation: null,
          components: [
            {
              id: ctx.world.id(Kind.CompensationComponent, ctx.world.ids.indexOf(Kind.JobPosting, p.id) ?? 0),
              ...salary,
            },
          ],
        },
      ],
      shouldDisplayCompensation: true,
    },
    updatedAt: p.updatedAt,
  };
}

/** Locations: the spec does not allow null for these, so unset ones are left out (no recording shows otherwise). */
export function locationView(l: LocationModel): Record<string, unknown> {
  const { externalName, parentLocationId, extraData, ...rest } = l;
  return {
    ...rest,
    ...(externalName !== null ? { externalName } : {}),
    ...(parentLocationId !== null ? { parentLocationId } : {}),
    ...(extraData !== null ? { extraData } : {}),
  };
}

export function jobTemplateView(
  t: JobTemplateModel,
  ctx: ViewContext,
  expandLocation: boolean,
): Record<string, unknown> {
  const location = expandLocation ? ctx.store.get<LocationModel>('location', t.locationId) : undefined;
  return { ...t, ...(location ? { location: locationView(location) } : {}) };
}

export function interviewerPoolView(
  pool: InterviewerPoolModel,
  ctx: ViewContext,
  detailed: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: pool.id, title: pool.title, isArchived: pool.isArchived };
  if (pool.trainingPath) {
    out.trainingPath = {
      id: pool.trainingPath.id,
      enabled: pool.trainingPath.enabled,
      trainingStages: pool.trainingPath.trainingStages.map(({ approverIds, ...stage }) => ({
        ...stage,
        approvers: approverIds.map((id) => ctx.user(id)).filter((u) => u !== null),
      })),
    };
  }
  if (detailed) {
    out.qualifiedMembers = pool.qualifiedMemberIds
      .map((id) => ctx.user(id))
      .filter((u) => u !== null)
      .map((u) => ({ ...u, isPaused: false }));
    const stage = pool.trainingPath?.trainingStages[0];
    out.trainees = pool.traineeIds
      .map((id) => ctx.user(id))
      .filter((u) => u !== null)
      .map((u) => ({
        ...u,
        isPaused: false,
        ...(pool.trainingPath && stage
          ? {
              currentProgress: {
                trainingPathId: pool.trainingPath.id,
                trainingPathStageId: stage.id,
                interviewsCompleted: 1,
              },
            }
          : {}),
      }));
  }
  return out;
}

export function projectView(p: ProjectModel, ctx: ViewContext): Record<string, unknown> {
  const { customFieldEntries, ...rest } = p;
  return { ...rest, customFieldEntries: ctx.customFields(customFieldEntries) };
}
