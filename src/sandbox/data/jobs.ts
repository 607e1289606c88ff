import { iso } from '../clock.js';
import { Kind } from './ids.js';
import { Rng } from './random.js';
import { CF, sampleCustomFieldValue } from './forms.js';
import type { JobModel, JobPostingModel, OpeningModel } from './models.js';
import { CLOSE_REASON_COUNT, HIRING_TEAM_ROLES, JOB_LOCATIONS, generateLocation, jobDepartmentIndex } from './org.js';
import { jobCreatedAt, jobTitle } from './process.js';
import type { World } from './world.js';

/** Jobs, their postings (one per non-Draft job) and openings (one per job). */

const DAY = 86_400_000;
const EMPLOYMENT_TYPES = [
  'FullTime',
  'FullTime',
  'FullTime',
  'FullTime',
  'FullTime',
  'FullTime',
  'PartTime',
  'Contract',
  'Intern',
  'Temporary',
] as const;

export function jobHasPlan(w: World, j: number): boolean {
  // Half of the Draft jobs have no interview plan yet: Ashby omits defaultInterviewPlanId then.
  return w.jobStatus(j) !== 'Draft' || w.u(Kind.Job, j, 7) < 0.5;
}

function jobLocationIndex(w: World, j: number): number {
  return JOB_LOCATIONS[w.h(Kind.Job, j, 8) % JOB_LOCATIONS.length]!;
}

interface JobTimes {
  created: number;
  opened: number | null;
  closed: number | null;
  updated: number;
}

function jobTimes(w: World, j: number): JobTimes {
  const created = jobCreatedAt(w, j);
  const status = w.jobStatus(j);
  const opened = status === 'Draft' ? null : created + Math.floor((0.2 + w.u(Kind.Job, j, 9)) * DAY);
  const closedCandidate = opened === null ? null : w.between(opened, 0.3 + 0.6 * w.u(Kind.Job, j, 10));
  const closed = status === 'Closed' || status === 'Archived' ? closedCandidate : null;
  const updated = Math.max(created, opened ?? 0, closed ?? 0) + Math.floor(w.u(Kind.Job, j, 11) * DAY);
  return { created, opened, closed, updated: Math.min(updated, w.startMs - 1) };
}

export function generateJob(w: World, j: number): JobModel | undefined {
  if (j >= w.counts.jobs) return undefined;
  const rng = new Rng(w.h(Kind.Job, j, 0));
  const status = w.jobStatus(j);
  const t = jobTimes(w, j);
  const hasPlan = jobHasPlan(w, j);
  const team = rng.chance(0.3)
    ? HIRING_TEAM_ROLES.slice(0, rng.between(1, 2)).map((role, k) => ({
        userId: w.id(Kind.User, (j + k * 3) % w.counts.users),
        role,
      }))
    : [];
  const customFields = rng.chance(0.5)
    ? [
        {
          fieldId: w.id(Kind.CustomField, CF.BudgetedCompensation),
          value: sampleCustomFieldValue(w, CF.BudgetedCompensation, rng),
        },
        { fieldId: w.id(Kind.CustomField, CF.CostCenter), value: sampleCustomFieldValue(w, CF.CostCenter, rng) },
      ]
    : [];
  return {
    id: w.id(Kind.Job, j),
    title: jobTitle(w, j),
    confidential: w.jobConfidential(j),
    status,
    employmentType: EMPLOYMENT_TYPES[rng.int(EMPLOYMENT_TYPES.length)]!,
    locationId: w.id(Kind.Location, jobLocationIndex(w, j)),
    departmentId: w.id(Kind.Department, jobDepartmentIndex(w, j)),
    ...(hasPlan ? { defaultInterviewPlanId: w.id(Kind.InterviewPlan, j) } : {}),
    interviewPlanIds: hasPlan ? [w.id(Kind.InterviewPlan, j)] : [],
    jobPostingIds: status === 'Draft' ? [] : [w.id(Kind.JobPosting, j)],
    openingIds: [w.id(Kind.Opening, j)],
    customFields,
    hiringTeam: team,
    customRequisitionId: null,
    brandId: w.id(Kind.Brand, 0),
    authorId: w.id(Kind.User, 0),
    createdAt: iso(t.created),
    updatedAt: iso(t.updated),
    openedAt: t.opened === null ? null : iso(t.opened),
    closedAt: t.closed === null ? null : iso(t.closed),
  };
}

export function generateJobPosting(w: World, j: number): JobPostingModel | undefined {
  if (j >= w.counts.jobs || w.jobStatus(j) === 'Draft') return undefined;
  const t = jobTimes(w, j);
  const location = generateLocation(w, jobLocationIndex(w, j))!;
  return {
    id: w.id(Kind.JobPosting, j),
    jobId: w.id(Kind.Job, j),
    title: jobTitle(w, j).replace(' (Confidential)', ''),
    isListed: !w.jobConfidential(j) && w.u(Kind.JobPosting, j, 1) < 0.9,
    publishedDate: iso(t.opened ?? t.created).slice(0, 10),
    workplaceType: location.workplaceType ?? 'OnSite',
    updatedAt: iso(t.updated),
  };
}

export function generateOpening(w: World, j: number): OpeningModel | undefined {
  if (j >= w.counts.jobs) return undefined;
  const rng = new Rng(w.h(Kind.Opening, j, 0));
  const status = w.jobStatus(j);
  const t = jobTimes(w, j);
  const filled = status === 'Closed' && rng.chance(0.6);
  const state: OpeningModel['openingState'] =
    status === 'Draft' ? 'Draft' : status === 'Open' ? 'Open' : filled ? 'Filled' : 'Closed';
  const target = iso(w.between(t.created, 0.5)).slice(0, 10);
  return {
    id: w.id(Kind.Opening, j),
    ...(t.opened !== null ? { openedAt: iso(t.opened) } : {}),
    ...(t.closed !== null ? { closedAt: iso(t.closed) } : {}),
    isArchived: status === 'Archived',
    ...(status === 'Archived' && t.closed !== null ? { archivedAt: iso(t.closed + DAY) } : {}),
    ...(state === 'Closed' ? { closeReasonId: w.id(Kind.CloseReason, rng.int(CLOSE_REASON_COUNT - 1)) } : {}),
    openingState: state,
    createdAt: iso(t.created),
    updatedAt: iso(t.updated),
    latestVersion: {
      id: w.id(Kind.OpeningVersion, j),
      identifier: `REQ-${1000 + j}`,
      description: `Headcount for ${jobTitle(w, j)}`,
      authorId: w.id(Kind.User, 0),
      createdAt: iso(t.created),
      teamId: w.id(Kind.Department, jobDepartmentIndex(w, j)),
      jobIds: [w.id(Kind.Job, j)],
      ...(rng.chance(0.7) ? { targetHireDate: target } : {}),
      ...(rng.chance(0.5) ? { targetStartDate: target } : {}),
      isBackfill: rng.chance(0.2),
      employmentType: 'FullTime',
      locationIds: [w.id(Kind.Location, jobLocationIndex(w, j))],
      hiringTeam: [],
      customFields: rng.chance(0.5)
        ? [{ fieldId: w.id(Kind.CustomField, CF.RequisitionCode), value: `RC-${2000 + j}` }]
        : [],
    },
  };
}
