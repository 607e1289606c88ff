import { iso } from '../clock.js';
import { statusForStageType } from '../data/applications.js';
import { Kind } from '../data/ids.js';
import type { ApplicationModel, JobModel } from '../data/models.js';
import { HIRING_TEAM_ROLES, type UserModel } from '../data/org.js';
import type { InterviewStageModel } from '../data/process.js';
import { optBool, reqId } from '../http/params.js';
import type { Handler, RequestContext } from '../http/request-context.js';
import { AshbyWireError, invalidInput, notFound } from '../http/wire-error.js';
import { applicationView } from '../views/applications.js';
import { FULL_VIEWER, ViewContext } from '../views/context.js';
import { enterStage } from './application-writes.js';
import { visibleApplication } from './candidate-lists.js';

/**
 * application.transfer and application.addHiringTeamMember
 * (https://developers.ashbyhq.com/reference/applicationtransfer). A transfer moves the
 * application to another job's interview plan and stage, recorded as a new history entry.
 */

function roleTitle(ctx: RequestContext, roleId: string): string {
  const index = ctx.core.world.ids.indexOf(Kind.HiringTeamRole, roleId);
  const title = index === undefined ? undefined : HIRING_TEAM_ROLES[index];
  if (!title) throw notFound('hiringTeamRole', roleId);
  return title;
}

function emitUpdate(ctx: RequestContext, app: ApplicationModel): void {
  ctx.events.push({
    action: 'applicationUpdate',
    data: { application: applicationView(app, new ViewContext(ctx.core.store, FULL_VIEWER), 'full') },
  });
}

export const APPLICATION_TEAM_HANDLERS: Record<string, Handler> = {
  'application.transfer': (ctx) => {
    const { body } = ctx;
    const app = visibleApplication(ctx, reqId(body, 'applicationId'));
    const jobId = reqId(body, 'jobId');
    const planId = reqId(body, 'interviewPlanId');
    const stageId = reqId(body, 'interviewStageId');
    optBool(body, 'startAutomaticActivities');
    const job = ctx.core.store.get<JobModel>('job', jobId);
    if (!job || !ctx.view.jobVisible(jobId)) throw notFound('job', jobId);
    if (!job.interviewPlanIds.includes(planId))
      throw new AshbyWireError('interview_plan_not_found', `Interview plan ${planId} is not a plan of job ${jobId}.`);
    const stage = ctx.core.store.get<InterviewStageModel>('interviewStage', stageId);
    if (!stage || stage.interviewPlanId !== planId)
      throw new AshbyWireError(
        'interview_stage_not_found',
        `Interview stage ${stageId} is not in interview plan ${planId}.`,
      );
    if (stage.type === 'Archived')
      throw invalidInput(
        'An application cannot be transferred into an Archived stage; transfer it, then archive it with application.changeStage',
      );
    if (app.jobId === jobId && app.stageId === stageId) return { results: applicationView(app, ctx.view, 'full') };
    const now = iso(ctx.core.clock.stamp());
    const updated = ctx.core.store.update<ApplicationModel>('application', app.id, (a) => {
      enterStage(ctx, a, stageId, now);
      a.jobId = jobId;
      a.interviewPlanId = planId;
      a.stageId = stageId;
      a.status = statusForStageType(stage.type);
      a.archiveReasonId = null;
      delete a.archivedAt;
      a.updatedAt = now;
    })!;
    emitUpdate(ctx, updated);
    return { results: applicationView(updated, ctx.view, 'full') };
  },

  'application.addHiringTeamMember': (ctx) => {
    const app = visibleApplication(ctx, reqId(ctx.body, 'applicationId'));
    const userId = reqId(ctx.body, 'teamMemberId');
    const role = roleTitle(ctx, reqId(ctx.body, 'roleId'));
    const user = ctx.core.store.get<UserModel>('user', userId);
    if (!user) throw notFound('user', userId);
    const member = { email: user.email, firstName: user.firstName, lastName: user.lastName, role, userId: user.id };
    if (app.hiringTeam.some((m) => m.userId === userId && m.role === role)) return { results: member };
    const now = iso(ctx.core.clock.stamp());
    const updated = ctx.core.store.update<ApplicationModel>('application', app.id, (a) => {
      a.hiringTeam.push({ userId, role });
      a.updatedAt = now;
    })!;
    emitUpdate(ctx, updated);
    return { results: member };
  },
};
