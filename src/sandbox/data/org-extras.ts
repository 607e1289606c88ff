import { iso } from '../clock.js';
import { Kind } from './ids.js';
import { SOURCE_COUNT } from './org.js';
import { Rng } from './random.js';
import type { World } from './world.js';

/**
 * The organisation's smaller settings lists: brands, communication templates, interview stage
 * groups, job boards, source tracking links, application hiring team roles, the assessment types
 * of an assessment partner, and interviewer pauses. Records are in their wire shape (reference
 * §5.5, Ashby's list responses), except for the few internal fields their views drop.
 */

const DAY = 86_400_000;

export interface BrandModel {
  id: string;
  name: string;
  hostedJobsPageSlug: string;
}

/** Brand 0 is the one every generated job uses. */
const BRANDS = [
  ['Acme Talent', 'acme'],
  ['Acme Labs', 'acme-labs'],
] as const;
export const BRAND_COUNT = BRANDS.length;

export function generateBrand(w: World, i: number): BrandModel | undefined {
  const row = BRANDS[i];
  return row && { id: w.id(Kind.Brand, i), name: row[0], hostedJobsPageSlug: row[1] };
}

export interface CommunicationTemplateModel {
  id: string;
  title: string;
  intendedTypes: string[];
  createdAt: string;
  updatedAt: string;
}

const TEMPLATES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Application Received', ['email']],
  ['Rejection + Consideration for Future Positions', ['email', 'inMail']],
  ['Interview Invitation', ['email']],
  ['Sourcing Outreach', ['email', 'inMail', 'linkedInConnection']],
  ['Offer Follow-up', ['email']],
  ['Connect Request', ['linkedInConnection']],
];
export const COMMUNICATION_TEMPLATE_COUNT = TEMPLATES.length;

export function generateCommunicationTemplate(w: World, i: number): CommunicationTemplateModel | undefined {
  const row = TEMPLATES[i];
  if (!row) return undefined;
  const rng = new Rng(w.h(Kind.CommunicationTemplate, i, 0));
  const created = w.startMs - rng.between(200, 700) * DAY;
  return {
    id: w.id(Kind.CommunicationTemplate, i),
    title: row[0],
    intendedTypes: [...row[1]],
    createdAt: iso(created),
    updatedAt: iso(created + rng.between(0, 150) * DAY),
  };
}

export interface InterviewStageGroupModel {
  id: string;
  title: string;
  order: number;
  stageType: string;
}

/** Group 0 is the one the generated plans' Active stages name (process.ts). */
const STAGE_GROUPS = [
  ['Interviews', 'Active', 2],
  ['Lead', 'Lead', 0],
  ['Application Review', 'PreInterviewScreen', 1],
  ['Offer', 'Offer', 3],
  ['Hired', 'Hired', 4],
  ['Archived', 'Archived', 5],
] as const;
export const INTERVIEW_STAGE_GROUP_COUNT = STAGE_GROUPS.length;

export function generateInterviewStageGroup(w: World, i: number): InterviewStageGroupModel | undefined {
  const row = STAGE_GROUPS[i];
  return row && { id: w.id(Kind.InterviewStageGroup, i), title: row[0], stageType: row[1], order: row[2] };
}

export interface JobBoardModel {
  id: string;
  title: string;
  isInternal: boolean;
}

const JOB_BOARDS = [
  ['Acme Careers', false],
  ['Internal Mobility', true],
  ['Acme Labs Careers', false],
] as const;
export const JOB_BOARD_COUNT = JOB_BOARDS.length;

export function generateJobBoard(w: World, i: number): JobBoardModel | undefined {
  const row = JOB_BOARDS[i];
  return row && { id: w.id(Kind.JobBoard, i), title: row[0], isInternal: row[1] };
}

export interface SourceTrackingLinkModel {
  id: string;
  code: string;
  enabled: boolean;
  sourceId: string;
  link: string;
}

const TRACKING_CODES = [
  'linkedin-spring',
  'meetup-talk',
  'newsletter',
  'conference-booth',
  'podcast',
  'old-campaign',
] as const;
export const SOURCE_TRACKING_LINK_COUNT = TRACKING_CODES.length;

/** The last link is disabled: sourceTrackingLink.list leaves it out unless includeDisabled. */
export function generateSourceTrackingLink(w: World, i: number): SourceTrackingLinkModel | undefined {
  const code = TRACKING_CODES[i];
  if (code === undefined) return undefined;
  return {
    id: w.id(Kind.SourceTrackingLink, i),
    code,
    enabled: i !== TRACKING_CODES.length - 1,
    sourceId: w.id(Kind.Source, (i * 3) % SOURCE_COUNT),
    link: `https://jobs.ashbyhq.com/acme?utm_source=${code}`,
  };
}

export interface ApplicationHiringTeamRoleModel {
  id: string;
  title: string;
}

const APPLICATION_ROLES = ['Recruiter', 'Coordinator', 'Hiring Manager', 'Sourcer', 'Referrer'] as const;
export const APPLICATION_HIRING_TEAM_ROLE_COUNT = APPLICATION_ROLES.length;

export function generateApplicationHiringTeamRole(w: World, i: number): ApplicationHiringTeamRoleModel | undefined {
  const title = APPLICATION_ROLES[i];
  return title === undefined ? undefined : { id: w.id(Kind.ApplicationHiringTeamRole, i), title };
}

/** Stored with an `id` like every record; the wire shape names it `assessment_type_id`. */
export interface AssessmentModel {
  id: string;
  name: string;
  description: string;
}

const ASSESSMENTS = [
  ['Coding Challenge (90 min)', 'A timed take-home coding exercise graded automatically.'],
  ['System Design Interview', 'A live system design session with a partner engineer.'],
  ['Cognitive Aptitude Test', 'A 20-minute reasoning test.'],
] as const;
export const ASSESSMENT_COUNT = ASSESSMENTS.length;

export function generateAssessment(w: World, i: number): AssessmentModel | undefined {
  const row = ASSESSMENTS[i];
  return row && { id: w.id(Kind.Assessment, i), name: row[0], description: row[1] };
}

export function assessmentView(a: AssessmentModel): Record<string, unknown> {
  return { assessment_type_id: a.id, name: a.name, description: a.description };
}

export interface InterviewerPauseModel {
  id: string;
  userId: string;
  startsAt: string;
  endsAt: string | null;
  comment: string | null;
  createdAt: string;
}

/** Pause slot i belongs to user i; about a quarter of users have one (active or scheduled). */
export function generateInterviewerPause(w: World, i: number): InterviewerPauseModel | undefined {
  if (i >= w.counts.users || (i !== 0 && w.u(Kind.InterviewerPause, i, 1) >= 0.25)) return undefined;
  const rng = new Rng(w.h(Kind.InterviewerPause, i, 0));
  const created = w.startMs - rng.between(1, 30) * DAY;
  const starts = created + rng.between(0, 40) * DAY;
  return {
    id: w.id(Kind.InterviewerPause, i),
    userId: w.id(Kind.User, i),
    startsAt: iso(starts),
    endsAt: rng.chance(0.3) ? null : iso(starts + rng.between(3, 21) * DAY),
    comment: rng.chance(0.5) ? 'Parental leave' : null,
    createdAt: iso(created),
  };
}
