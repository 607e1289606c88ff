import { iso } from '../clock.js';
import { statusForStageType } from '../data/applications.js';
import { Kind } from '../data/ids.js';
import type { ApplicationModel, CandidateModel, HistoryEntryModel, JobModel, OfferModel } from '../data/models.js';
import type { InterviewStageModel } from '../data/process.js';
import { STAGES_PER_PLAN } from '../data/world.js';
import { optBool, optId, optIsoDate, reqId, type Body } from '../http/params.js';
import type { Handler, RequestContext } from '../http/request-context.js';
import { AshbyWireError, invalidInput, notFound } from '../http/wire-error.js';
import { applicationView } from '../views/applications.js';
import { FULL_VIEWER, ViewContext } from '../views/context.js';
import { offerView } from '../views/offers.js';
import { actorId } from './candidate-writes.js';
import { visibleApplication } from './candidate-lists.js';

/**
 * The history side of a stage move (application.changeStage, application.transfer): the current
 * entry is left now and a new one is entered, by the calling key's user.
 */
export function enterStage(
  ctx: RequestContext,
  a: ApplicationModel,
  stageId: string,
  now: string,
  archiveReasonId?: string,
): void {
  const last = a.history[a.history.length - 1];
  if (last) last.leftStageAt = now;
  a.history.push({
    id: ctx.core.store.newId(Kind.ApplicationHistory),
    stageId,
    stageNumber: a.history.length,
    enteredStageAt: now,
    allowedActions: ['delete', 'set_entered_at'],
    actorId: actorId(ctx),
    ...(archiveReasonId ? { archiveReasonId } : {}),
  });
}

/** application.create / update / changeStage / changeSource (docs/ashby-api.md §5.5). */

/** Stage ids of a generated interview plan, in order. */
function planStages(ctx: RequestContext, planId: string): InterviewStageModel[] {
  const plan = ctx.core.world.ids.indexOf(Kind.InterviewPlan, planId);
  if (plan === undefined || !ctx.core.store.get('interviewPlan', planId)) throw notFound('interviewPlan', planId);
  const out: InterviewStageModel[] = [];
  for (let s = 0; s < STAGES_PER_PLAN; s++) {
    const stage = ctx.core.store.get<InterviewStageModel>(
      'interviewStage',
      ctx.core.world.id(Kind.InterviewStage, plan * STAGES_PER_PLAN + s),
    );
    if (stage) out.push(stage);
  }
  return out;
}

function stageIn(stages: InterviewStageModel[], stageId: string): InterviewStageModel {
  const stage = stages.find((s) => s.id === stageId);
  if (!stage)
    throw new AshbyWireError(
      'interview_stage_not_found',
      `Interview stage ${stageId} does not exist in the application's interview plan.`,
    );
  return stage;
}

function emitUpdate(ctx: RequestContext, action: string, app: ApplicationModel): void {
  ctx.events.push({
    action,
    data: { application: applicationView(app, new ViewContext(ctx.core.store, FULL_VIEWER), 'full') },
  });
}

function checkSource(ctx: RequestContext, body: Body): string | undefined {
  const sourceId = optId(body, 'sourceId');
  if (sourceId !== undefined && !ctx.core.store.get('source', sourceId)) throw notFound('source', sourceId);
  return sourceId;
}

function checkUser(ctx: RequestContext, body: Body): string | undefined {
  const userId = optId(body, 'creditedToUserId');
  if (userId !== undefined && !ctx.core.store.get('user', userId)) throw notFound('user', userId);
  return userId;
}

function buildHistory(
  ctx: RequestContext,
  stages: InterviewStageModel[],
  raw: unknown,
  fallback: { stage: InterviewStageModel; at: string },
): HistoryEntryModel[] {
  const newId = (): string => ctx.core.store.newId(Kind.ApplicationHistory);
  if (raw === undefined || raw === null) {
    return [
      {
        id: newId(),
        stageId: fallback.stage.id,
        stageNumber: 0,
        enteredStageAt: fallback.at,
        allowedActions: ['set_entered_at'],
        actorId: actorId(ctx),
      },
    ];
  }
  if (!Array.isArray(raw) || raw.length === 0)
    throw invalidInput('applicationHistory must be a non-empty array of {stageId, stageNumber, enteredStageAt}');
  const entries = raw.map((e, i) => {
    const entry = (e ?? {}) as Body;
    const stage = stageIn(stages, reqId(entry, 'stageId'));
    const stageNumber = entry.stageNumber;
    if (typeof stageNumber !== 'number' || !Number.isInteger(stageNumber) || stageNumber < 0)
      throw invalidInput(`applicationHistory[${i}].stageNumber must be a non-negative integer`);
    const enteredStageAt = optIsoDate(entry, 'enteredStageAt');
    if (!enteredStageAt) throw invalidInput(`applicationHistory[${i}].enteredStageAt is required`);
    const archiveReasonId = optId(entry, 'archiveReasonId');
    if (stage.type === 'Archived' && !archiveReasonId)
      throw invalidInput(`applicationHistory[${i}] enters an Archived stage and needs archiveReasonId`);
    if (archiveReasonId && !ctx.core.store.get('archiveReason', archiveReasonId))
      throw notFound('archiveReason', archiveReasonId);
    return { stageNumber, stage, enteredStageAt, archiveReasonId };
  });
  entries.sort((a, b) => a.stageNumber - b.stageNumber);
  return entries.map((e, k) => ({
    id: newId(),
    stageId: e.stage.id,
    stageNumber: k,
    enteredStageAt: e.enteredStageAt,
    ...(k + 1 < entries.length ? { leftStageAt: entries[k + 1]!.enteredStageAt } : {}),
    allowedActions: k === 0 ? ['set_entered_at'] : ['delete', 'set_entered_at'],
    actorId: actorId(ctx),
    ...(e.archiveReasonId ? { archiveReasonId: e.archiveReasonId } : {}),
  }));
}

export const APPLICATION_WRITE_HANDLERS: Record<string, Handler> = {
  'application.create': (ctx) => {
    const { body } = ctx;
    const { store } = ctx.core;
    const candidateId = reqId(body, 'candidateId');
    const candidate = store.get<CandidateModel>('candidate', candidateId);
    if (!candidate || !ctx.view.candidateVisible(candidate)) throw notFound('candidate', candidateId);
    const jobId = reqId(body, 'jobId');
    const job = store.get<JobModel>('job', jobId);
    if (!job || !ctx.view.jobVisible(jobId)) throw notFound('job', jobId);
    const planId = optId(body, 'interviewPlanId') ?? job.defaultInterviewPlanId;
    if (!planId)
      throw invalidInput(`Job "${job.title}" has no interview plan yet: set defaultInterviewPlanId on the job first`);
    if (!job.interviewPlanIds.includes(planId)) throw notFound('interviewPlan', planId);
    const stages = planStages(ctx, planId);
    const requested = body.interviewStageId;
    const stage =
      requested === undefined || requested === null
        ? (stages.find((s) => s.type === 'Lead') ?? stages[0]!)
        : requested === 'FirstPreInterviewScreen'
          ? (stages.find((s) => s.type === 'PreInterviewScreen') ?? stages[0]!)
          : stageIn(stages, reqId(body, 'interviewStageId'));
    if (stage.type === 'Archived')
      throw invalidInput(
        'A new application cannot start in an Archived stage; create it, then use application.changeStage with an archive reason',
      );
    const existing = candidate.applicationIds.find(
      (id) => store.get<ApplicationModel>('application', id)?.jobId === jobId,
    );
    if (existing) throw invalidInput(`Candidate already has an application for this job (${existing})`);
    const sourceId = checkSource(ctx, body);
    const creditedToUserId = checkUser(ctx, body);
    const now = iso(ctx.core.clock.stamp());
    const createdAt = optIsoDate(body, 'createdAt') ?? now;
    const history = buildHistory(ctx, stages, body.applicationHistory, { stage, at: createdAt });
    const current = body.applicationHistory ? stageIn(stages, history[history.length - 1]!.stageId) : stage;
    const lastArchive = history[history.length - 1]!.archiveReasonId;
    const app: ApplicationModel = {
      id: store.allocateId('application'),
      createdAt,
      updatedAt: now,
      candidateId,
      jobId,
      interviewPlanId: planId,
      stageId: current.id,
      status: statusForStageType(current.type),
      ...(current.type === 'Archived' ? { archivedAt: history[history.length - 1]!.enteredStageAt } : {}),
      archiveReasonId: current.type === 'Archived' ? (lastArchive ?? null) : null,
      sourceId: sourceId ?? null,
      creditedToUserId: creditedToUserId ?? null,
      hiringTeam: [],
      appliedViaJobPostingId: null,
      customFields: [],
      history,
      offerIds: [],
      scheduleIds: [],
    };
    store.insert('application', app as unknown as { id: string });
    store.update<CandidateModel>('candidate', candidateId, (c) => {
      c.applicationIds.push(app.id);
      c.updatedAt = now;
    });
    emitUpdate(ctx, 'applicationSubmit', app);
    return { results: applicationView(app, ctx.view, 'create') };
  },

  'application.update': (ctx) => {
    const app = visibleApplication(ctx, reqId(ctx.body, 'applicationId'));
    const sourceId = checkSource(ctx, ctx.body);
    const creditedToUserId = checkUser(ctx, ctx.body);
    const createdAt = optIsoDate(ctx.body, 'createdAt');
    optBool(ctx.body, 'sendNotifications');
    const now = iso(ctx.core.clock.stamp());
    const updated = ctx.core.store.update<ApplicationModel>('application', app.id, (a) => {
      if (sourceId !== undefined) a.sourceId = sourceId;
      if (creditedToUserId !== undefined) a.creditedToUserId = creditedToUserId;
      if (createdAt !== undefined) a.createdAt = createdAt;
      a.updatedAt = now;
    })!;
    emitUpdate(ctx, 'applicationUpdate', updated);
    return { results: applicationView(updated, ctx.view, 'slim') };
  },

  'application.changeSource': (ctx) => {
    const app = visibleApplication(ctx, reqId(ctx.body, 'applicationId'));
    if (!('sourceId' in ctx.body)) throw invalidInput('sourceId is required (null removes the source)');
    const sourceId = checkSource(ctx, ctx.body) ?? null;
    const now = iso(ctx.core.clock.stamp());
    const updated = ctx.core.store.update<ApplicationModel>('application', app.id, (a) => {
      a.sourceId = sourceId;
      a.updatedAt = now;
    })!;
    emitUpdate(ctx, 'applicationUpdate', updated);
    return { results: applicationView(updated, ctx.view, 'slimSource') };
  },

  'application.changeStage': (ctx) => {
    const { body } = ctx;
    const app = visibleApplication(ctx, reqId(body, 'applicationId'));
    const stageId = reqId(body, 'interviewStageId');
    const target = ctx.core.store.get<InterviewStageModel>('interviewStage', stageId);
    if (!target) throw notFound('interviewStage', stageId);
    if (target.interviewPlanId !== app.interviewPlanId) {
      throw new AshbyWireError(
        'interview_stage_not_found',
        `Interview stage ${stageId} is not in the application's interview plan (${app.interviewPlanId}).`,
      );
    }
    const archiveReasonId = optId(body, 'archiveReasonId');
    // An archive reason is required to enter an Archived-type stage and refused otherwise (docs/ashby-api.md §5.5).
    if (target.type === 'Archived' && !archiveReasonId)
      throw invalidInput('Moving to an Archived stage requires archiveReasonId');
    if (target.type !== 'Archived' && archiveReasonId)
      throw invalidInput('archiveReasonId is only allowed when moving to an Archived stage');
    if (archiveReasonId && !ctx.core.store.get('archiveReason', archiveReasonId))
      throw notFound('archiveReason', archiveReasonId);
    const archiveEmail = body.archiveEmail as Body | undefined;
    if (archiveEmail !== undefined && archiveEmail !== null) {
      const templateId = reqId(archiveEmail, 'communicationTemplateId');
      // The sandbox has no communication templates.
      throw new AshbyWireError(
        'communication_template_not_found',
        `Communication template ${templateId} does not exist.`,
      );
    }
    if (app.stageId === stageId && app.archiveReasonId === (archiveReasonId ?? null))
      return { results: applicationView(app, ctx.view, 'full') };
    const now = iso(ctx.core.clock.stamp());
    const updated = ctx.core.store.update<ApplicationModel>('application', app.id, (a) => {
      enterStage(ctx, a, stageId, now, archiveReasonId);
      a.stageId = stageId;
      a.status = statusForStageType(target.type);
      a.archiveReasonId = archiveReasonId ?? null;
      if (target.type === 'Archived') a.archivedAt = now;
      else delete a.archivedAt;
      a.updatedAt = now;
    })!;
    emitUpdate(ctx, 'candidateStageChange', updated);
    if (target.type === 'Hired') {
      const full = new ViewContext(ctx.core.store, FULL_VIEWER);
      const offer = [...updated.offerIds, ...ctx.core.store.linked('offer', updated.id)]
        .map((id) => ctx.core.store.get<OfferModel>('offer', id))
        .find((o) => o !== undefined);
      ctx.events.push({
        action: 'candidateHire',
        data: {
          application: applicationView(updated, full, 'full'),
          ...(offer ? { offer: offerView(offer, full, { versions: true, formDefinition: false }) } : {}),
        },
      });
    }
    return { results: applicationView(updated, ctx.view, 'full') };
  },
};
