import { ulid } from 'ulid';
import type { AshbyPage, PagesOptions } from '../ashby/types.js';
import { NOT_RECONCILABLE, type AshbyCaller, type Matches } from './reconcile.js';

/**
 * Settling an unknown outcome of an interview schedule write. A schedule has no natural key (one
 * application may hold several, at the same times), so the sink makes one it controls: a marker
 * in the `extraData` of every event it adds, under MARKER_KEY (Ashby keeps extraData as sent and
 * returns it on each event: docs/ashby-api.md, interviewSchedule). The marker is stamped when the
 * intent is recorded (`Progress.markers`), kept with it in the ledger, and sent unchanged on resume.
 *
 * - **create**: the application's schedules (interviewSchedule.list by applicationId) are searched
 *   for an event carrying the marker. One: adopted; none: the create is sent again; several:
 *   SINK_RECONCILE_AMBIGUOUS.
 * - **update**: the schedule's events (interviewEvent.list) tell whether it was applied: every
 *   event it adds carries the marker, every event it cancels is gone. Applied: adopted; not
 *   applied: sent again. An update that only changes existing events (by interviewEventId) is
 *   sent again, which sets the same values.
 */
export const MARKER_KEY = 'ashby_kafka_marker';

/** A fresh marker; unique, so no record can carry it before the write that stamps it. */
export function scheduleMarker(): string {
  return `ashby-kafka:${ulid()}`;
}

interface EventHit {
  id: string;
  extraData?: Record<string, unknown> | null;
}

interface ScheduleHit {
  id: string;
  interviewEvents?: EventHit[];
}

interface Lister {
  pages<T>(endpoint: string, body: Record<string, unknown>, options?: PagesOptions): AsyncIterable<AshbyPage<T>>;
}

async function listAll<T>(
  ashby: AshbyCaller,
  endpoint: string,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<T[]> {
  const lister = ashby as AshbyCaller & Partial<Lister>;
  if (typeof lister.pages === 'function') {
    const out: T[] = [];
    for await (const page of lister.pages<T>(endpoint, body, { signal, completeness: false }))
      out.push(...page.results);
    return out;
  }
  const { results } = await ashby.call<T[]>(endpoint, { ...body, limit: 100 }, { kind: 'read', signal });
  return results ?? [];
}

type Event = Record<string, unknown>;

const asEvents = (v: unknown): Event[] => (Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : []) as Event[];

const markerOf = (e: { extraData?: unknown }): unknown =>
  e.extraData && typeof e.extraData === 'object' ? (e.extraData as Record<string, unknown>)[MARKER_KEY] : undefined;

const withMarker = (e: Event, marker: string): Event => ({
  ...e,
  extraData: { ...((e.extraData as Record<string, unknown> | null | undefined) ?? {}), [MARKER_KEY]: marker },
});

/** Stamps the marker on every event of a create; undefined when there are none. */
export function stampCreate(body: Record<string, unknown>, marker: string): Record<string, unknown> | undefined {
  const events = asEvents(body.interviewEvents);
  if (!events.length) return undefined;
  return { ...body, interviewEvents: events.map((e) => withMarker(e, marker)) };
}

/** Stamps the marker on the events an update adds (those without interviewEventId); undefined when it adds none. */
export function stampUpdate(body: Record<string, unknown>, marker: string): Record<string, unknown> | undefined {
  const events = asEvents(body.interviewEvent);
  if (!events.some((e) => e.interviewEventId === undefined)) return undefined;
  return {
    ...body,
    interviewEvent: events.map((e) => (e.interviewEventId === undefined ? withMarker(e, marker) : e)),
  };
}

function markerIn(events: Event[]): string | undefined {
  const m = events.map(markerOf).find((v) => typeof v === 'string');
  return typeof m === 'string' ? m : undefined;
}

export const scheduleByMarker = async (
  ashby: AshbyCaller,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Matches | typeof NOT_RECONCILABLE> => {
  const { applicationId } = body;
  const marker = markerIn(asEvents(body.interviewEvents));
  if (typeof applicationId !== 'string' || !marker) return NOT_RECONCILABLE;
  const schedules = await listAll<ScheduleHit>(ashby, 'interviewSchedule.list', { applicationId }, signal);
  const hits = schedules.filter((s) => (s.interviewEvents ?? []).some((e) => markerOf(e) === marker));
  return { ids: hits.map((s) => s.id), what: `an interview schedule of application ${applicationId} marked ${marker}` };
};

export const scheduleUpdateApplied = async (
  ashby: AshbyCaller,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Matches | typeof NOT_RECONCILABLE> => {
  const { interviewScheduleId } = body;
  if (typeof interviewScheduleId !== 'string') return NOT_RECONCILABLE;
  const marker = markerIn(asEvents(body.interviewEvent).filter((e) => e.interviewEventId === undefined));
  const cancels = (
    Array.isArray(body.interviewEventIdToCancel)
      ? body.interviewEventIdToCancel
      : body.interviewEventIdToCancel === undefined
        ? []
        : [body.interviewEventIdToCancel]
  ) as string[];
  const what = `the update of interview schedule ${interviewScheduleId}`;
  // Nothing added and nothing cancelled: it only sets existing events, and sending it again sets the same.
  if (!marker && !cancels.length) return { ids: [], what };
  const events = await listAll<EventHit>(ashby, 'interviewEvent.list', { interviewScheduleId }, signal);
  const present = new Set(events.map((e) => e.id.toLowerCase()));
  const added = !marker || events.some((e) => markerOf(e) === marker);
  const cancelled = cancels.every((id) => !present.has(id.toLowerCase()));
  return { ids: added && cancelled ? [interviewScheduleId] : [], what };
};
