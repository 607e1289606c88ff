import { iso } from '../clock.js';
import { Kind } from '../data/ids.js';
import type { EventModel, ScheduleModel } from '../data/models.js';
import type { UserModel } from '../data/org.js';
import { optBool, optId, reqId, type Body } from '../http/params.js';
import type { Handler, RequestContext } from '../http/request-context.js';
import { AshbyWireError, invalidInput, notFound } from '../http/wire-error.js';
import { scheduleView } from '../views/applications.js';
import { FULL_VIEWER, ViewContext } from '../views/context.js';
import { actorId } from './candidate-writes.js';
import { visibleApplication } from './candidate-lists.js';

/**
 * interviewSchedule.create / update / cancel
 * (https://developers.ashbyhq.com/reference/interviewschedulecreate). A schedule created through
 * the API can only be changed by the key that created it; events name interviewers by email.
 */

function userByEmail(ctx: RequestContext, email: string): UserModel | undefined {
  const wanted = email.trim().toLowerCase();
  for (let i = 0; i < ctx.core.store.positions('user'); i++) {
    const u = ctx.core.store.atPosition('user', i) as unknown as UserModel | undefined;
    if (u && u.email.toLowerCase() === wanted) return u;
  }
  return undefined;
}

function isoTime(v: unknown, field: string): string {
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v)))
    throw invalidInput(`${field} must be an ISO 8601 date-time`);
  return new Date(Date.parse(v)).toISOString();
}

interface EventInput {
  interviewEventId?: string;
  startTime: string;
  endTime: string;
  interviewerUserIds: string[];
  interviewId: string;
  extraData: Record<string, unknown> | null;
}

function eventInput(ctx: RequestContext, raw: unknown, at: string): EventInput {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw invalidInput(`${at} must be an object {startTime, endTime, interviewers}`);
  const e = raw as Body;
  const startTime = isoTime(e.startTime, `${at}.startTime`);
  const endTime = isoTime(e.endTime, `${at}.endTime`);
  if (Date.parse(endTime) <= Date.parse(startTime)) throw invalidInput(`${at}.endTime must be after startTime`);
  if (!Array.isArray(e.interviewers) || e.interviewers.length === 0)
    throw invalidInput(`${at}.interviewers must be a non-empty array of {email, feedbackRequired?}`);
  const interviewerUserIds = e.interviewers.map((i, n) => {
    const email = (i as Body | null)?.email;
    if (typeof email !== 'string') throw invalidInput(`${at}.interviewers[${n}].email is required`);
    const user = userByEmail(ctx, email);
    if (!user)
      throw new AshbyWireError('user_not_found', `No Ashby user has the email ${email} (${at}.interviewers[${n}]).`);
    return user.id;
  });
  // Without an interviewId Ashby uses the organization's default interview.
  const interviewId = optId(e, 'interviewId') ?? ctx.core.world.id(Kind.Interview, 0);
  if (!ctx.core.store.get('interview', interviewId)) throw notFound('interview', interviewId);
  const extraData = e.extraData && typeof e.extraData === 'object' ? (e.extraData as Record<string, unknown>) : null;
  const interviewEventId = optId(e, 'interviewEventId');
  return {
    ...(interviewEventId ? { interviewEventId } : {}),
    startTime,
    endTime,
    interviewerUserIds,
    interviewId,
    extraData,
  };
}

function newEvent(ctx: RequestContext, scheduleId: string, input: EventInput, now: string): string {
  const id = ctx.core.store.allocateId('interviewEvent');
  const event: EventModel = {
    id,
    interviewId: input.interviewId,
    interviewScheduleId: scheduleId,
    interviewerUserIds: input.interviewerUserIds,
    createdAt: now,
    updatedAt: now,
    startTime: input.startTime,
    endTime: input.endTime,
    feedbackLink: `https://app.ashbyhq.com/interview-briefings/${id}/feedback`,
    location: null,
    meetingLink: null,
    interviewerCalendarEventId: null,
    hasSubmittedFeedback: false,
    notetakerTranscriptId: null,
    extraData: input.extraData,
  };
  ctx.core.store.insert('interviewEvent', event as unknown as { id: string });
  return id;
}

/** A schedule this key may change: visible, created through the API by this same key. */
function ownSchedule(ctx: RequestContext, id: string): ScheduleModel {
  const schedule = ctx.core.store.get<ScheduleModel>('interviewSchedule', id);
  if (!schedule || !ctx.view.applicationVisible(schedule.applicationId)) throw notFound('interviewSchedule', id);
  if (schedule.createdByKey !== ctx.key.name) {
    throw new AshbyWireError(
      'invalid_input',
      `Interview schedule ${id} was not created by this API key; only schedules created with the key making the request can be changed.`,
    );
  }
  return schedule;
}

function emit(ctx: RequestContext, action: string, schedule: ScheduleModel): void {
  ctx.events.push({
    action,
    data: { interviewSchedule: scheduleView(schedule, new ViewContext(ctx.core.store, FULL_VIEWER)) },
  });
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

export const INTERVIEW_SCHEDULE_HANDLERS: Record<string, Handler> = {
  'interviewSchedule.create': (ctx) => {
    const app = visibleApplication(ctx, reqId(ctx.body, 'applicationId'));
    const raw = ctx.body.interviewEvents;
    if (!Array.isArray(raw) || raw.length === 0) throw invalidInput('interviewEvents must be a non-empty array');
    const inputs = raw.map((e, i) => eventInput(ctx, e, `interviewEvents[${i}]`));
    const now = iso(ctx.core.clock.stamp());
    const id = ctx.core.store.allocateId('interviewSchedule');
    const schedule: ScheduleModel = {
      id,
      applicationId: app.id,
      interviewStageId: app.stageId,
      status: 'Scheduled',
      scheduledById: actorId(ctx),
      createdAt: now,
      updatedAt: now,
      eventIds: inputs.map((input) => newEvent(ctx, id, input, now)),
      createdByKey: ctx.key.name,
    };
    ctx.core.store.insert('interviewSchedule', schedule as unknown as { id: string });
    emit(ctx, 'interviewScheduleCreate', schedule);
    emit(ctx, 'interviewScheduleUpdate', schedule);
    return { results: scheduleView(schedule, ctx.view) };
  },

  'interviewSchedule.update': (ctx) => {
    const { body } = ctx;
    const schedule = ownSchedule(ctx, reqId(body, 'interviewScheduleId'));
    const hasEvent = body.interviewEvent !== undefined && body.interviewEvent !== null;
    const hasCancel = body.interviewEventIdToCancel !== undefined && body.interviewEventIdToCancel !== null;
    if (hasEvent === hasCancel)
      throw invalidInput(
        'Send either interviewEvent (to add or update events) or interviewEventIdToCancel, not both or neither',
      );
    if (schedule.status === 'Cancelled') throw invalidInput(`Interview schedule ${schedule.id} is cancelled`);
    const allowFeedbackDeletion = optBool(body, 'allowFeedbackDeletion') ?? false;
    const now = iso(ctx.core.clock.stamp());
    const { store } = ctx.core;
    let eventIds = [...schedule.eventIds];
    if (hasEvent) {
      for (const [i, raw] of asList(body.interviewEvent).entries()) {
        const input = eventInput(
          ctx,
          raw,
          Array.isArray(body.interviewEvent) ? `interviewEvent[${i}]` : 'interviewEvent',
        );
        if (!input.interviewEventId) {
          eventIds.push(newEvent(ctx, schedule.id, input, now));
          continue;
        }
        if (!eventIds.includes(input.interviewEventId)) throw notFound('interviewEvent', input.interviewEventId);
        store.update<EventModel>('interviewEvent', input.interviewEventId, (e) => {
          e.startTime = input.startTime;
          e.endTime = input.endTime;
          e.interviewerUserIds = input.interviewerUserIds;
          e.interviewId = input.interviewId;
          e.extraData = input.extraData;
          e.updatedAt = now;
        });
      }
    } else {
      for (const raw of asList(body.interviewEventIdToCancel)) {
        const eventId = reqId({ interviewEventIdToCancel: raw }, 'interviewEventIdToCancel');
        if (!eventIds.includes(eventId)) throw notFound('interviewEvent', eventId);
        const event = store.get<EventModel>('interviewEvent', eventId);
        if (event?.hasSubmittedFeedback && !allowFeedbackDeletion) {
          throw invalidInput(
            `Interview event ${eventId} has submitted feedback; pass allowFeedbackDeletion: true to cancel it and delete the feedback`,
          );
        }
        eventIds = eventIds.filter((e) => e !== eventId);
      }
    }
    const updated = store.update<ScheduleModel>('interviewSchedule', schedule.id, (s) => {
      s.eventIds = eventIds;
      s.updatedAt = now;
    })!;
    emit(ctx, 'interviewScheduleUpdate', updated);
    return { results: scheduleView(updated, ctx.view) };
  },

  'interviewSchedule.cancel': (ctx) => {
    const schedule = ownSchedule(ctx, reqId(ctx.body, 'id'));
    optBool(ctx.body, 'allowReschedule');
    if (schedule.status === 'Cancelled') return { results: scheduleView(schedule, ctx.view) };
    const now = iso(ctx.core.clock.stamp());
    const updated = ctx.core.store.update<ScheduleModel>('interviewSchedule', schedule.id, (s) => {
      s.status = 'Cancelled';
      s.updatedAt = now;
    })!;
    emit(ctx, 'interviewScheduleUpdate', updated);
    return { results: scheduleView(updated, ctx.view) };
  },
};
