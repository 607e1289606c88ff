import { iso } from '../clock.js';
import { generateSurveyForm, type FormDefinition } from './forms.js';
import { Kind } from './ids.js';
import { Rng } from './random.js';
import { APPLICATION_SLOTS, STAGE, type World } from './world.js';

/**
 * What hangs off candidates and applications beyond notes and history: survey requests and
 * submissions, AI criteria evaluations, client info and fraud checks. Each lives in slots derived
 * from its candidate's or application's slot, so a per-parent list knows its ids without a scan.
 */

const HOUR = 3_600_000;

/** Criteria evaluation slots per application slot. */
export const CRITERIA_SLOTS = 2;
/** Client info slots per candidate (one per application, at most this many). */
export const CLIENT_INFO_SLOTS = 2;

function applicationId(w: World, slot: number): string {
  return w.id(Kind.Application, slot);
}

function candidateOf(w: World, slot: number): string {
  return w.id(Kind.Candidate, Math.floor(slot / APPLICATION_SLOTS));
}

export interface SurveyRequestModel {
  id: string;
  candidateId: string;
  applicationId: string;
  surveyFormDefinitionId: string;
  surveyUrl: string;
}

/** Candidate Experience survey requests go out to about half the applications that reached a screen. */
export function surveyRequestExists(w: World, slot: number): boolean {
  return (
    w.applicationExists(slot) &&
    w.applicationFate(slot).reached >= STAGE.Screen &&
    w.u(Kind.SurveyRequest, slot, 1) < 0.5
  );
}

export function generateSurveyRequest(w: World, slot: number): SurveyRequestModel | undefined {
  if (!surveyRequestExists(w, slot)) return undefined;
  const id = w.id(Kind.SurveyRequest, slot);
  return {
    id,
    candidateId: candidateOf(w, slot),
    applicationId: applicationId(w, slot),
    surveyFormDefinitionId: w.id(Kind.SurveyFormDefinition, 0),
    surveyUrl: `https://app.ashbyhq.com/survey/${id}`,
  };
}

export interface SurveySubmissionModel {
  id: string;
  surveyFormDefinitionId: string | null;
  submittedAt: string;
  candidateId: string;
  applicationId: string | null;
  surveyType: string;
  formDefinition: FormDefinition;
  submittedValues: Record<string, unknown>;
}

/** About 60% of survey requests are answered. */
export function generateSurveySubmission(w: World, slot: number): SurveySubmissionModel | undefined {
  if (!surveyRequestExists(w, slot) || w.u(Kind.SurveySubmission, slot, 1) >= 0.6) return undefined;
  const form = generateSurveyForm(w, 0)!;
  const rng = new Rng(w.h(Kind.SurveySubmission, slot, 0));
  const path = form.formDefinition.sections[0]!.fields[0]!.field.path;
  return {
    id: w.id(Kind.SurveySubmission, slot),
    surveyFormDefinitionId: form.id,
    submittedAt: iso(w.between(w.applicationCreatedAt(slot), 0.5 + rng.next() * 0.4)),
    candidateId: candidateOf(w, slot),
    applicationId: applicationId(w, slot),
    surveyType: 'CandidateExperience',
    formDefinition: form.formDefinition,
    submittedValues: { [path]: 1 + rng.int(5) },
  };
}

/** `applicationId` is internal (the slot's owner); the wire record does not carry it. */
export interface CriteriaEvaluationModel {
  id: string;
  applicationId: string;
  criterion: {
    id: string;
    title: string;
    type: string;
    prompt: string;
    applicationFormDefinitionId: string | null;
    applicationFormFieldPath: string | null;
  };
  status: string;
  outcome: string | null;
  reasoning: string | null;
  skipReason: string | null;
  outcomeNumber: number | null;
  evaluatedAt: string | null;
}

const CRITERIA = [
  ['Relevant experience', 'Has the candidate worked at least three years in a similar role?'],
  ['Location eligibility', 'Is the candidate able to work from one of the job locations?'],
] as const;

/** AI Application Review evaluates applications that reached review with one or two criteria. */
export function generateCriteriaEvaluation(w: World, index: number): CriteriaEvaluationModel | undefined {
  const slot = Math.floor(index / CRITERIA_SLOTS);
  const k = index % CRITERIA_SLOTS;
  if (!w.applicationExists(slot) || w.u(Kind.CriteriaEvaluation, slot, 1) >= 0.6) return undefined;
  if (k > 0 && w.u(Kind.CriteriaEvaluation, slot, 2) < 0.5) return undefined;
  const rng = new Rng(w.h(Kind.CriteriaEvaluation, index, 0));
  const criterion = CRITERIA[k]!;
  const pending = rng.chance(0.1);
  const skipped = !pending && rng.chance(0.1);
  const score = pending || skipped ? null : Math.round(rng.next() * 100) / 100;
  return {
    id: w.id(Kind.CriteriaEvaluation, index),
    applicationId: applicationId(w, slot),
    criterion: {
      id: w.id(Kind.Criterion, w.applicationJobIndex(slot) * CRITERIA_SLOTS + k),
      title: criterion[0],
      type: 'ResumePrompt',
      prompt: criterion[1],
      applicationFormDefinitionId: null,
      applicationFormFieldPath: null,
    },
    status: pending ? 'Pending' : skipped ? 'Skipped' : 'Completed',
    outcome: score === null ? null : score >= 0.5 ? 'Meets' : 'Does Not Meet',
    reasoning:
      score === null
        ? null
        : score >= 0.5
          ? 'The resume shows the required experience.'
          : 'The resume does not show the required experience.',
    skipReason: skipped ? 'No resume on file' : null,
    outcomeNumber: score,
    evaluatedAt: score === null ? null : iso(w.applicationCreatedAt(slot) + rng.between(1, 48) * HOUR),
  };
}

export function criteriaEvaluationView(e: CriteriaEvaluationModel): Record<string, unknown> {
  const { applicationId: _owner, ...wire } = e;
  return wire;
}

export interface ClientInfoModel {
  id: string;
  ipAddress: string;
  userAgent: string;
  relatedEntityType: string;
  relatedEntityId: string;
  candidateId: string;
  createdAt: string;
}

const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
] as const;

/** Candidate c's client info k records the browser it applied from with application k. */
export function generateClientInfo(w: World, index: number): ClientInfoModel | undefined {
  const c = Math.floor(index / CLIENT_INFO_SLOTS);
  const k = index % CLIENT_INFO_SLOTS;
  const slot = c * APPLICATION_SLOTS + k;
  if (c >= w.counts.candidates || !w.applicationExists(slot)) return undefined;
  const rng = new Rng(w.h(Kind.ClientInfo, index, 0));
  return {
    id: w.id(Kind.ClientInfo, index),
    ipAddress: `203.0.113.${1 + rng.int(254)}`,
    userAgent: USER_AGENTS[rng.int(USER_AGENTS.length)]!,
    relatedEntityType: 'application',
    relatedEntityId: applicationId(w, slot),
    candidateId: w.id(Kind.Candidate, c),
    createdAt: iso(w.applicationCreatedAt(slot)),
  };
}

export interface FraudCheckModel {
  id: string;
  candidateId: string;
  applicationId: string | null;
  createdAt: string;
  fraudSignals: { id: string; category: string; name: string; description: string; value?: string }[];
}

const SIGNALS = [
  ['Geographic', 'IP location mismatch', 'The IP address is far from the location the candidate gave.', 'Lagos, NG'],
  ['Automation', 'Fast form completion', 'The application form was completed faster than a person types.', undefined],
  [
    'Social',
    'No professional footprint',
    'No profile matching the candidate was found on professional networks.',
    undefined,
  ],
] as const;

/** Fraud Detection checks about one candidate in ten that applied; a check lists zero to two signals. */
export function generateFraudCheck(w: World, c: number): FraudCheckModel | undefined {
  if (c >= w.counts.candidates || !w.applicationExists(c * APPLICATION_SLOTS) || w.u(Kind.FraudCheck, c, 1) >= 0.1)
    return undefined;
  const rng = new Rng(w.h(Kind.FraudCheck, c, 0));
  const slot = c * APPLICATION_SLOTS;
  const signals = Array.from({ length: rng.int(3) }, (_, k) => {
    const s = SIGNALS[(c + k) % SIGNALS.length]!;
    return {
      id: w.id(Kind.FraudSignal, c * 3 + k),
      category: s[0],
      name: s[1],
      description: s[2],
      ...(s[3] !== undefined ? { value: s[3] } : {}),
    };
  });
  return {
    id: w.id(Kind.FraudCheck, c),
    candidateId: w.id(Kind.Candidate, c),
    applicationId: applicationId(w, slot),
    createdAt: iso(w.applicationCreatedAt(slot) + HOUR),
    fraudSignals: signals,
  };
}
