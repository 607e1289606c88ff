/**
 * What each Ashby webhook action means for the streams (Ashby's developer docs, "Setting up
 * webhooks", and the payloads of the API reference's webhook section). A delivery is a doorbell:
 * it names streams to pull now (incrementally, so the record that reaches Kafka is always the
 * one the API returns), children to re-read for the parents it names, and records that left.
 * Nothing from the payload itself is produced.
 */

export type DeletionReason = 'deleted' | 'merged_into' | 'no_longer_visible';

export interface Departure {
  stream: string;
  id: string;
  reason: DeletionReason;
  /** merged_into: the surviving record. */
  mergedInto?: string;
}

export interface Effects {
  /** Top-level streams to pull incrementally. */
  pull: string[];
  /** Child stream → parent ids whose children are re-read (parent-driven incremental reads miss them). */
  children: Record<string, string[]>;
  departures: Departure[];
}

const idAt = (data: Record<string, unknown>, field: string): string | undefined => {
  const v = (data[field] as { id?: unknown } | undefined)?.id;
  return typeof v === 'string' && v !== '' ? v : undefined;
};

const APPLICATION_STREAMS = ['applications', 'candidates'];

/** Effects of one delivery; an unknown action (or `ping`) has none. */
export function effectsOf(action: string, data: Record<string, unknown>): Effects {
  const out: Effects = { pull: [], children: {}, departures: [] };
  const child = (stream: string, id: string | undefined): void => {
    if (id) (out.children[stream] ??= []).push(id);
  };
  switch (action) {
    case 'applicationSubmit':
    case 'applicationUpdate':
    case 'candidateStageChange':
    case 'pushToHRIS': {
      out.pull.push(...APPLICATION_STREAMS);
      // A stage change adds a history entry without the candidate list noticing the application.
      child('application_history', idAt(data, 'application'));
      break;
    }
    case 'candidateHire':
      out.pull.push(...APPLICATION_STREAMS, 'offers');
      child('application_history', idAt(data, 'application'));
      break;
    case 'candidateDelete': {
      const id = idAt(data, 'candidate');
      if (id) out.departures.push({ stream: 'candidates', id, reason: 'deleted' });
      // The candidate's applications go with it; the next pull still sees the rest unchanged.
      break;
    }
    case 'candidateMerge': {
      const gone = idAt(data, 'deletedCandidate');
      const kept = idAt(data, 'mergedCandidate');
      if (gone)
        out.departures.push({
          stream: 'candidates',
          id: gone,
          reason: 'merged_into',
          ...(kept ? { mergedInto: kept } : {}),
        });
      // The survivor changed (it took the other's applications): re-read it, and the applications.
      out.pull.push(...APPLICATION_STREAMS);
      child('candidate_notes', kept);
      break;
    }
    case 'offerCreate':
    case 'offerUpdate':
      out.pull.push('offers');
      break;
    case 'offerDelete': {
      const id = idAt(data, 'offer');
      if (id) out.departures.push({ stream: 'offers', id, reason: 'deleted' });
      break;
    }
    case 'interviewScheduleCreate':
    case 'interviewScheduleUpdate':
      out.pull.push('interview_schedules');
      child('interview_events', idAt(data, 'interviewSchedule'));
      break;
    case 'interviewPlanTransition':
      out.pull.push('jobs', 'interview_plans', 'interview_stages');
      break;
    case 'jobCreate':
    case 'jobUpdate':
      out.pull.push('jobs');
      break;
    case 'jobPostingUpdate':
    case 'jobPostingPublish':
    case 'jobPostingUnpublish':
      out.pull.push('job_postings');
      break;
    case 'openingCreate':
      out.pull.push('openings');
      break;
    default:
      break;
  }
  return out;
}
