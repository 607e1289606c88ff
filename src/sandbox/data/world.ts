import { hash4, unit } from './random.js';
import { IdCodec, Kind } from './ids.js';

/**
 * The shape of the generated organisation: how many records of each entity exist for a given
 * scale, when they were created, and the structural relations between them (which applications a
 * candidate has, which job and stage each application is at). Every answer is a pure function of
 * (seed, scale, index), so any record can be produced on demand from either side of a relation.
 */

/** Application slots per candidate: candidate i owns application slots 3i..3i+2, of which the first k exist. */
export const APPLICATION_SLOTS = 3;
/** Interview event slots per interview schedule (schedule slot = application slot). */
export const EVENT_SLOTS = 3;
/** Note slots per candidate. */
export const NOTE_SLOTS = 2;
/** Stages in every generated interview plan, in order. */
export const STAGE_TEMPLATE = [
  { title: 'New Lead', type: 'Lead' },
  { title: 'Application Review', type: 'PreInterviewScreen' },
  { title: 'Recruiter Screen', type: 'Active' },
  { title: 'Technical Interview', type: 'Active' },
  { title: 'Onsite', type: 'Active' },
  { title: 'Offer', type: 'Offer' },
  { title: 'Hired', type: 'Hired' },
  { title: 'Archived', type: 'Archived' },
] as const;
export const STAGES_PER_PLAN = STAGE_TEMPLATE.length;
export const STAGE = {
  Lead: 0,
  Review: 1,
  Screen: 2,
  Technical: 3,
  Onsite: 4,
  Offer: 5,
  Hired: 6,
  Archived: 7,
} as const;

const DAY = 86_400_000;
/** Entities whose count grows with the scale into the millions: their ids are not cached. */
const LARGE_KINDS: ReadonlySet<Kind> = new Set([
  Kind.Candidate,
  Kind.Application,
  Kind.ApplicationHistory,
  Kind.InterviewSchedule,
  Kind.InterviewEvent,
  Kind.ApplicationFeedback,
  Kind.Offer,
  Kind.OfferVersion,
  Kind.OfferProcess,
  Kind.Approval,
  Kind.ApprovalStep,
  Kind.Approver,
  Kind.Note,
  Kind.File,
  Kind.SurveyRequest,
  Kind.SurveySubmission,
  Kind.CriteriaEvaluation,
  Kind.ClientInfo,
  Kind.FraudCheck,
  Kind.FraudSignal,
]);
/** Candidates arrive over the two years before the clock start. */
const CANDIDATE_SPAN_MS = 730 * DAY;

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

export interface WorldCounts {
  candidates: number;
  users: number;
  departments: number;
  jobs: number;
  projects: number;
  tags: number;
  interviews: number;
}

/** Outcome of one generated application, derived from its slot alone. */
export interface ApplicationFate {
  /** Stage index in the plan the application is at now. */
  stage: number;
  /** Furthest non-archived stage reached (equals `stage` unless archived). */
  reached: number;
  /** Whether it began at the Lead stage (sourced) rather than Application Review (applied). */
  sourced: boolean;
}

export class World {
  readonly ids: IdCodec;
  readonly counts: WorldCounts;
  readonly startMs: number;
  private readonly stepMs: number;
  /** Indexes of jobs applications may point at (generated jobs that are not Draft). */
  readonly applicableJobs: Int32Array;

  constructor(
    readonly seed: number,
    readonly scale: number,
    startMs: number,
  ) {
    this.ids = new IdCodec(seed, LARGE_KINDS);
    this.startMs = startMs;
    const n = scale;
    const jobs = clamp(20 + Math.floor(n / 100), 20, 20_000);
    this.counts = {
      candidates: n,
      users: clamp(10 + Math.floor(n / 50), 10, 5_000),
      departments: clamp(10 + Math.floor(n / 20_000), 10, 200),
      jobs,
      projects: clamp(3 + Math.floor(n / 2_000), 3, 500),
      tags: clamp(12 + Math.floor(n / 20_000), 12, 100),
      interviews: 6 + 2 * jobs,
    };
    this.stepMs = CANDIDATE_SPAN_MS / Math.max(1, n);
    const applicable: number[] = [];
    for (let j = 0; j < jobs; j++) if (this.jobStatus(j) !== 'Draft') applicable.push(j);
    this.applicableJobs = Int32Array.from(applicable);
  }

  h(kind: Kind, index: number, salt: number): number {
    return hash4(this.seed, kind, index, salt);
  }

  u(kind: Kind, index: number, salt: number): number {
    return unit(hash4(this.seed, kind, index, salt));
  }

  id(kind: Kind, index: number): string {
    return this.ids.id(kind, index);
  }

  // ---- timeline -------------------------------------------------------------------------

  /** Earliest creation time of anything in candidate i's block (candidate, its applications, …). */
  candidateBlockStart(candidateIndex: number): number {
    return this.startMs - CANDIDATE_SPAN_MS + candidateIndex * this.stepMs;
  }

  /** Creation time of candidate i; strictly inside its block. */
  candidateCreatedAt(i: number): number {
    return Math.floor(this.candidateBlockStart(i) + this.u(Kind.Candidate, i, 90) * this.stepMs * 0.25);
  }

  /** Creation time of an application slot: after its candidate, inside the candidate's block. */
  applicationCreatedAt(slot: number): number {
    const c = Math.floor(slot / APPLICATION_SLOTS);
    const offset = 0.3 + 0.2 * (slot % APPLICATION_SLOTS) + this.u(Kind.Application, slot, 90) * 0.1;
    return Math.floor(this.candidateBlockStart(c) + offset * this.stepMs);
  }

  /** Blocks before this candidate index hold only records created at or before `ms`. */
  firstCandidateBlockAfter(ms: number): number {
    const i = Math.floor((ms - (this.startMs - CANDIDATE_SPAN_MS)) / this.stepMs) - 1;
    return clamp(i, 0, this.counts.candidates);
  }

  /** Time by which a process that started at `from` has moved on by `fraction` of the time left before the clock start. */
  between(from: number, fraction: number): number {
    return Math.floor(from + (this.startMs - from) * clamp(fraction, 0, 1));
  }

  // ---- relations ------------------------------------------------------------------------

  /**
   * Generated status of job j. The first three are pinned so every scale has an open public job,
   * a Draft job (hidden from job.list by default) and an open confidential job.
   */
  jobStatus(j: number): 'Draft' | 'Open' | 'Closed' | 'Archived' {
    if (j === 0 || j === 2) return 'Open';
    if (j === 1) return 'Draft';
    const r = this.u(Kind.Job, j, 1);
    return r < 0.1 ? 'Draft' : r < 0.55 ? 'Open' : r < 0.85 ? 'Closed' : 'Archived';
  }

  jobConfidential(j: number): boolean {
    return j === 2 || (j > 2 && this.u(Kind.Job, j, 2) < 0.1);
  }

  applicationCount(candidateIndex: number): number {
    const r = this.u(Kind.Candidate, candidateIndex, 1);
    return r < 0.08 ? 0 : r < 0.63 ? 1 : r < 0.9 ? 2 : 3;
  }

  applicationExists(slot: number): boolean {
    const c = Math.floor(slot / APPLICATION_SLOTS);
    return c < this.counts.candidates && slot % APPLICATION_SLOTS < this.applicationCount(c);
  }

  applicationJobIndex(slot: number): number {
    return this.applicableJobs[this.h(Kind.Application, slot, 1) % this.applicableJobs.length]!;
  }

  applicationFate(slot: number): ApplicationFate {
    const r = this.u(Kind.Application, slot, 2);
    const sourced = this.u(Kind.Application, slot, 3) < 0.25;
    const start = sourced ? STAGE.Lead : STAGE.Review;
    const pick = (stage: number): ApplicationFate => ({ stage, reached: stage, sourced });
    if (r < 0.08) return { stage: STAGE.Lead, reached: STAGE.Lead, sourced: true };
    if (r < 0.2) return pick(STAGE.Review);
    if (r < 0.32) return pick(STAGE.Screen);
    if (r < 0.4) return pick(STAGE.Technical);
    if (r < 0.46) return pick(STAGE.Onsite);
    if (r < 0.5) return pick(STAGE.Offer);
    if (r < 0.55) return pick(STAGE.Hired);
    const reached = start + (this.h(Kind.Application, slot, 4) % (STAGE.Onsite - start + 1));
    return { stage: STAGE.Archived, reached, sourced };
  }

  /** Interview stage whose schedule an application has, or -1 when it never reached interviews. */
  scheduleStage(slot: number): number {
    const fate = this.applicationFate(slot);
    return fate.reached >= STAGE.Screen ? Math.min(fate.reached, STAGE.Onsite) : -1;
  }

  scheduleExists(slot: number): boolean {
    return this.applicationExists(slot) && this.scheduleStage(slot) >= 0;
  }

  eventCount(scheduleSlot: number): number {
    return 1 + (this.h(Kind.InterviewSchedule, scheduleSlot, 1) % EVENT_SLOTS);
  }

  eventExists(eventSlot: number): boolean {
    const schedule = Math.floor(eventSlot / EVENT_SLOTS);
    return this.scheduleExists(schedule) && eventSlot % EVENT_SLOTS < this.eventCount(schedule);
  }

  /** Offers exist for applications that reached the Offer or Hired stage. */
  offerExists(slot: number): boolean {
    return this.applicationExists(slot) && this.applicationFate(slot).reached >= STAGE.Offer;
  }

  noteCount(candidateIndex: number): number {
    const r = this.u(Kind.Candidate, candidateIndex, 2);
    return r < 0.55 ? 0 : r < 0.85 ? 1 : 2;
  }

  /** Project a candidate was added to, or -1. */
  candidateProject(candidateIndex: number): number {
    return this.u(Kind.Candidate, candidateIndex, 3) < 0.04
      ? this.h(Kind.Candidate, candidateIndex, 4) % this.counts.projects
      : -1;
  }

  projectConfidential(projectIndex: number): boolean {
    return projectIndex % 4 === 1;
  }
}
