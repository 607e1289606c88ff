import { iso } from '../clock.js';
import { Kind } from './ids.js';
import { Rng } from './random.js';
import { JOB_TITLES } from './vocabulary.js';
import { FEEDBACK_FORM_COUNT } from './forms.js';
import { JOB_LOCATIONS, jobDepartmentIndex } from './org.js';
import { STAGE_TEMPLATE, STAGES_PER_PLAN, type World } from './world.js';

/** Interview plans (one per job), their stages, interview types, pools, templates and projects. */

const DAY = 86_400_000;

export function jobCreatedAt(w: World, j: number): number {
  // Jobs open over ~2.5 years; the job index orders them.
  const span = 900 * DAY;
  return Math.floor(w.startMs - span - 30 * DAY + (j + w.u(Kind.Job, j, 5) * 0.5) * (span / w.counts.jobs));
}

export function jobTitle(w: World, j: number): string {
  const title = JOB_TITLES[w.h(Kind.Job, j, 6) % JOB_TITLES.length]!;
  return w.jobConfidential(j) ? `${title} (Confidential)` : title;
}

export interface InterviewPlanModel {
  id: string;
  title: string;
  isArchived: boolean;
  createdAt: string;
  updatedAt: string;
}

export function generateInterviewPlan(w: World, p: number): InterviewPlanModel | undefined {
  if (p >= w.counts.jobs) return undefined;
  const created = jobCreatedAt(w, p) - DAY;
  return {
    id: w.id(Kind.InterviewPlan, p),
    title: `${jobTitle(w, p)} Interview Plan`,
    isArchived: w.jobStatus(p) === 'Archived',
    createdAt: iso(created),
    updatedAt: iso(created + DAY),
  };
}

export interface InterviewStageModel {
  id: string;
  title: string;
  type: string;
  orderInInterviewPlan: number;
  interviewStageGroupId: string | null;
  interviewPlanId: string;
}

export function generateInterviewStage(w: World, index: number): InterviewStageModel | undefined {
  const plan = Math.floor(index / STAGES_PER_PLAN);
  if (plan >= w.counts.jobs) return undefined;
  const s = index % STAGES_PER_PLAN;
  const template = STAGE_TEMPLATE[s]!;
  return {
    id: w.id(Kind.InterviewStage, index),
    title: template.title,
    type: template.type,
    orderInInterviewPlan: s,
    // Interview rounds share a stage group; other stages have none (Ashby sends null then).
    interviewStageGroupId: template.type === 'Active' ? w.id(Kind.InterviewStageGroup, 0) : null,
    interviewPlanId: w.id(Kind.InterviewPlan, plan),
  };
}

export function stageId(w: World, plan: number, stage: number): string {
  return w.id(Kind.InterviewStage, plan * STAGES_PER_PLAN + stage);
}

export interface InterviewModel {
  id: string;
  title: string;
  externalTitle: string;
  isArchived: boolean;
  isDebrief: boolean;
  isFeedbackRequired: boolean;
  isFeedbackRequested: boolean;
  instructionsHtml: string | null;
  instructionsPlain: string | null;
  jobId?: string;
  feedbackFormDefinitionId: string;
}

const SHARED_INTERVIEWS = [
  'Recruiter Screen',
  'Hiring Manager Chat',
  'Values Conversation',
  'Reference Check',
  'Debrief',
  'Legacy Phone Screen',
] as const;
const JOB_INTERVIEWS = ['Technical Interview', 'Onsite Panel'] as const;

/** Interview types: the first six are shared (no jobId); then two per job. */
export function generateInterview(w: World, i: number): InterviewModel | undefined {
  if (i >= w.counts.interviews) return undefined;
  const shared = i < SHARED_INTERVIEWS.length;
  const job = shared ? -1 : Math.floor((i - SHARED_INTERVIEWS.length) / 2);
  const title = shared ? SHARED_INTERVIEWS[i]! : JOB_INTERVIEWS[(i - SHARED_INTERVIEWS.length) % 2]!;
  const withInstructions = w.u(Kind.Interview, i, 1) < 0.3;
  const formIndex = shared ? [0, 3, 3, 3, 4, 5][i]! : 1 + ((i - SHARED_INTERVIEWS.length) % 2);
  return {
    id: w.id(Kind.Interview, i),
    title,
    externalTitle: title === 'Onsite Panel' ? 'Meet the Team' : title,
    isArchived: i === SHARED_INTERVIEWS.length - 1 || (job >= 0 && w.jobStatus(job) === 'Archived'),
    isDebrief: title === 'Debrief',
    isFeedbackRequired: title !== 'Debrief',
    isFeedbackRequested: true,
    instructionsHtml: withInstructions ? '<p>Focus on collaboration and problem solving.</p>' : null,
    instructionsPlain: withInstructions ? 'Focus on collaboration and problem solving.' : null,
    ...(shared ? {} : { jobId: w.id(Kind.Job, job) }),
    feedbackFormDefinitionId: w.id(Kind.FeedbackFormDefinition, Math.min(formIndex, FEEDBACK_FORM_COUNT - 1)),
  };
}

/** The interview type used for a stage of job j's plan. */
export function interviewForStage(w: World, job: number, stage: number): number {
  if (stage === 2) return 0; // shared Recruiter Screen
  return SHARED_INTERVIEWS.length + job * 2 + (stage === 3 ? 0 : 1);
}

export interface ProjectModel {
  id: string;
  title: string;
  description: string;
  isArchived: boolean;
  confidential: boolean;
  authorId: string;
  createdAt: string;
  customFieldEntries: { fieldId: string; value: unknown }[];
}

const PROJECT_TITLES = [
  'Silver Medalists',
  'Backend Pipeline',
  'Campus Outreach',
  'Leadership Search',
  'Returners',
  'Open Source Talent',
] as const;

export function generateProject(w: World, i: number): ProjectModel | undefined {
  if (i >= w.counts.projects) return undefined;
  const confidential = w.projectConfidential(i);
  const base = PROJECT_TITLES[i % PROJECT_TITLES.length]!;
  return {
    id: w.id(Kind.Project, i),
    title: confidential ? `Confidential: ${base} ${i}` : `${base} ${i}`,
    description: `Talent pool for ${base.toLowerCase()}.`,
    isArchived: i % 7 === 6,
    confidential,
    authorId: w.id(Kind.User, 0),
    createdAt: iso(w.startMs - (400 - (i % 300)) * DAY),
    customFieldEntries: [],
  };
}

export interface JobTemplateModel {
  id: string;
  title: string;
  status: 'Active' | 'Inactive';
  locationId: string;
  departmentId: string;
  defaultInterviewPlanId: string;
  interviewPlanIds: string[];
  createdAt: string;
  updatedAt: string;
}

const TEMPLATES = [
  'Software Engineer Template',
  'Account Executive Template',
  'Product Manager Template',
  'Designer Template',
  'Legacy Template',
] as const;
export const JOB_TEMPLATE_COUNT = TEMPLATES.length;

export function generateJobTemplate(w: World, i: number): JobTemplateModel | undefined {
  const title = TEMPLATES[i];
  if (title === undefined) return undefined;
  const created = w.startMs - (700 - i * 20) * DAY;
  return {
    id: w.id(Kind.JobTemplate, i),
    title,
    status: i === TEMPLATES.length - 1 ? 'Inactive' : 'Active',
    locationId: w.id(Kind.Location, JOB_LOCATIONS[i % JOB_LOCATIONS.length]!),
    departmentId: w.id(Kind.Department, jobDepartmentIndex(w, i)),
    defaultInterviewPlanId: w.id(Kind.InterviewPlan, i % w.counts.jobs),
    interviewPlanIds: [w.id(Kind.InterviewPlan, i % w.counts.jobs)],
    createdAt: iso(created),
    updatedAt: iso(created + 30 * DAY),
  };
}

export interface InterviewerPoolModel {
  id: string;
  title: string;
  isArchived: boolean;
  trainingPath?: {
    id: string;
    enabled: boolean;
    trainingStages: {
      id: string;
      interviewerRole: 'Shadow' | 'ReverseShadow';
      interviewsRequired: number;
      isArchived: boolean;
      approvalRequired: boolean;
      approverIds: string[];
    }[];
  };
  qualifiedMemberIds: string[];
  traineeIds: string[];
}

const POOLS = ['Backend Interviewers', 'Frontend Interviewers', 'Bar Raisers', 'Legacy Pool'] as const;
export const INTERVIEWER_POOL_COUNT = POOLS.length;

export function generateInterviewerPool(w: World, i: number): InterviewerPoolModel | undefined {
  const title = POOLS[i];
  if (title === undefined) return undefined;
  const rng = new Rng(w.h(Kind.InterviewerPool, i, 0));
  const users = w.counts.users;
  const members = [0, 1, 2, 3].map((k) => w.id(Kind.User, (i * 3 + k) % users));
  return {
    id: w.id(Kind.InterviewerPool, i),
    title,
    isArchived: i === POOLS.length - 1,
    ...(i < 2
      ? {
          trainingPath: {
            id: w.id(Kind.TrainingPath, i),
            enabled: true,
            trainingStages: [
              {
                id: w.id(Kind.TrainingStage, i * 2),
                interviewerRole: 'Shadow' as const,
                interviewsRequired: 2,
                isArchived: false,
                approvalRequired: false,
                approverIds: [],
              },
              {
                id: w.id(Kind.TrainingStage, i * 2 + 1),
                interviewerRole: 'ReverseShadow' as const,
                interviewsRequired: rng.between(1, 3),
                isArchived: false,
                approvalRequired: true,
                approverIds: [w.id(Kind.User, 0)],
              },
            ],
          },
        }
      : {}),
    qualifiedMemberIds: members.slice(0, 3),
    traineeIds: i < 2 ? members.slice(3) : [],
  };
}
