import { scopeOf } from '../auth/permissions.js';
import { iso } from '../clock.js';
import { candidateIndexFromEmail, candidateName } from '../data/candidates.js';
import { Kind } from '../data/ids.js';
import type { CandidateModel, JobModel, JobPostingModel, OfferModel, OpeningModel } from '../data/models.js';
import { HIRING_TEAM_ROLES, type LocationModel, type UserModel } from '../data/org.js';
import type { InterviewModel, InterviewerPoolModel, ProjectModel } from '../data/process.js';
import { optBool, optId, optString, optStringArray, reqId, reqString } from '../http/params.js';
import type { Handler, RequestContext } from '../http/request-context.js';
import { invalidInput, notFound } from '../http/wire-error.js';
import type { EntityName } from '../store/entities.js';
import { applicationView } from '../views/applications.js';
import { candidateView } from '../views/candidates.js';
import {
  interviewerPoolView,
  jobPostingInfoView,
  jobView,
  locationView,
  openingView,
  projectView,
} from '../views/jobs.js';
import { offerView } from '../views/offers.js';
import { visibleApplication } from './candidate-lists.js';

/** `.info`, search and other single-response read endpoints (docs/ashby-api.md §5). */

/** candidate.search returns at most this many candidates (docs/ashby-api.md §5.3). */
export const CANDIDATE_SEARCH_LIMIT = 100;

function find<T>(
  ctx: RequestContext,
  entity: EntityName,
  param: string,
  visible: (record: T) => boolean = () => true,
): T {
  const id = reqId(ctx.body, param);
  const record = ctx.core.store.get<T>(entity, id);
  if (!record || !visible(record)) throw notFound(entity, id);
  return record;
}

function simpleInfo(entity: EntityName, param: string): Handler {
  return (ctx) => ({ results: find(ctx, entity, param) });
}

function searchCandidates(ctx: RequestContext): CandidateModel[] {
  const email = optString(ctx.body, 'email')?.trim().toLowerCase();
  const name = optString(ctx.body, 'name')?.trim().toLowerCase();
  if (!email && !name) throw invalidInput('Send email, name or both to search candidates');
  const { store, world } = ctx.core;
  const matches = (c: CandidateModel): boolean =>
    (!email || c.emailAddresses.some((e) => e.value.toLowerCase() === email)) &&
    (!name || c.name.toLowerCase().includes(name)) &&
    ctx.view.candidateVisible(c);
  const out: CandidateModel[] = [];
  const seen = new Set<string>();
  const consider = (c: CandidateModel | undefined): void => {
    if (c && !seen.has(c.id) && out.length < CANDIDATE_SEARCH_LIMIT && matches(c)) {
      seen.add(c.id);
      out.push(c);
    }
  };
  for (const id of store.touchedIds('candidate')) consider(store.get<CandidateModel>('candidate', id));
  if (email) {
    // Generated candidates' emails carry their index, so an email search needs no scan.
    const index = candidateIndexFromEmail(email);
    if (index !== undefined && index < world.counts.candidates)
      consider(store.get<CandidateModel>('candidate', world.id(Kind.Candidate, index)));
  } else {
    // Names of untouched candidates are two hashes away: test them before generating anything.
    for (let i = 0; i < world.counts.candidates && out.length < CANDIDATE_SEARCH_LIMIT; i++) {
      const n = candidateName(world, i);
      if (!`${n.firstLower} ${n.lastLower}`.includes(name!)) continue;
      const id = world.id(Kind.Candidate, i);
      if (!store.override('candidate', id)) consider(store.get<CandidateModel>('candidate', id));
    }
  }
  return out;
}

export const READ_HANDLERS: Record<string, Handler> = {
  'apiKey.info': (ctx) => ({
    results: {
      title: ctx.key.title,
      createdAt: iso(ctx.core.world.startMs - 90 * 86_400_000),
      scopes: [...ctx.key.permissions].map(scopeOf).sort(),
    },
  }),
  'candidate.info': (ctx) => {
    if (ctx.body.id === undefined && ctx.body.externalMappingId !== undefined) {
      // Sandbox candidates have no HRIS mappings.
      throw notFound('candidate', ctx.body.externalMappingId);
    }
    return {
      results: candidateView(
        find<CandidateModel>(ctx, 'candidate', 'id', (c) => ctx.view.candidateVisible(c)),
        ctx.view,
      ),
    };
  },
  'candidate.search': (ctx) => ({ results: searchCandidates(ctx).map((c) => candidateView(c, ctx.view)) }),
  'application.info': (ctx) => {
    optStringArray(ctx.body, 'expand', ['openings', 'applicationFormSubmissions', 'referrals']);
    if (ctx.body.applicationId === undefined && ctx.body.submittedFormInstanceId !== undefined)
      throw notFound('application', ctx.body.submittedFormInstanceId);
    const app = visibleApplication(ctx, reqId(ctx.body, 'applicationId'));
    const out = applicationView(app, ctx.view, 'info');
    if (Array.isArray(ctx.body.expand) && ctx.body.expand.includes('openings')) {
      const job = ctx.core.store.get<JobModel>('job', app.jobId);
      out.openings = (job?.openingIds ?? [])
        .map((id) => ctx.core.store.get<OpeningModel>('opening', id))
        .filter((o) => o !== undefined)
        .map((o) => openingView(o, ctx.view));
    }
    return { results: out };
  },
  'job.info': (ctx) => {
    const expand = optStringArray(ctx.body, 'expand', ['location', 'openings']) ?? [];
    const job = find<JobModel>(ctx, 'job', 'id', (j) => ctx.view.jobVisible(j.id));
    return {
      results: jobView(job, ctx.view, {
        includeUnpublishedJobPostingsIds: optBool(ctx.body, 'includeUnpublishedJobPostingsIds') === true,
        expand,
      }),
    };
  },
  'jobPosting.info': (ctx) => {
    optId(ctx.body, 'jobBoardId');
    const expand = optStringArray(ctx.body, 'expand', ['job']) ?? [];
    const posting = find<JobPostingModel>(ctx, 'jobPosting', 'jobPostingId', (p) => ctx.view.jobVisible(p.jobId));
    const out = jobPostingInfoView(posting, ctx.view);
    if (expand.includes('job')) {
      const job = ctx.core.store.get<JobModel>('job', posting.jobId);
      if (job) out.job = jobView(job, ctx.view);
    }
    return { results: out };
  },
  'opening.info': (ctx) => {
    const opening = find<OpeningModel>(
      ctx,
      'opening',
      'openingId',
      (o) => o.latestVersion.jobIds.length === 0 || o.latestVersion.jobIds.some((id) => ctx.view.jobVisible(id)),
    );
    return { results: openingView(opening, ctx.view) };
  },
  'offer.info': (ctx) => {
    const offer = find<OfferModel>(ctx, 'offer', 'offerId', (o) => ctx.view.applicationVisible(o.applicationId));
    return {
      results: offerView(offer, ctx.view, {
        versions: true,
        formDefinition: optBool(ctx.body, 'excludeFormDefinition') !== true,
      }),
    };
  },
  'interview.info': (ctx) => ({
    results: find<InterviewModel>(ctx, 'interview', 'id', (i) => ctx.view.jobVisible(i.jobId)),
  }),
  'interviewStage.info': simpleInfo('interviewStage', 'interviewStageId'),
  'department.info': simpleInfo('department', 'departmentId'),
  'location.info': (ctx) => ({ results: locationView(find<LocationModel>(ctx, 'location', 'locationId')) }),
  'user.info': simpleInfo('user', 'userId'),
  'user.search': (ctx) => {
    const email = reqString(ctx.body, 'email').toLowerCase();
    const users: UserModel[] = [];
    for (let i = 0; i < ctx.core.store.positions('user'); i++) {
      const u = ctx.core.store.atPosition('user', i) as unknown as UserModel | undefined;
      if (u && u.email.toLowerCase() === email) users.push(u);
    }
    return { results: users };
  },
  /** docs/ashby-api.md §5.4: `title` (case-insensitive substring, like candidate.search's name) and/or `requisitionId` (exact); at least one. */
  'job.search': (ctx) => {
    const title = optString(ctx.body, 'title')?.trim().toLowerCase();
    const requisitionId = optString(ctx.body, 'requisitionId')?.trim();
    if (!title && !requisitionId) throw invalidInput('Send title, requisitionId or both to search jobs');
    const out: ReturnType<typeof jobView>[] = [];
    for (let i = 0; i < ctx.core.store.positions('job'); i++) {
      const j = ctx.core.store.atPosition('job', i) as unknown as JobModel | undefined;
      if (!j || !ctx.view.jobVisible(j.id)) continue;
      if (title && !j.title.toLowerCase().includes(title)) continue;
      if (requisitionId && j.customRequisitionId !== requisitionId) continue;
      out.push(jobView(j, ctx.view, { includeUnpublishedJobPostingsIds: false, expand: [] }));
    }
    return { results: out };
  },
  'customField.info': simpleInfo('customField', 'customFieldId'),
  'feedbackFormDefinition.info': simpleInfo('feedbackFormDefinition', 'feedbackFormDefinitionId'),
  'surveyFormDefinition.info': simpleInfo('surveyFormDefinition', 'surveyFormDefinitionId'),
  'interviewerPool.info': (ctx) => ({
    results: interviewerPoolView(
      find<InterviewerPoolModel>(ctx, 'interviewerPool', 'interviewerPoolId'),
      ctx.view,
      true,
    ),
  }),
  'project.info': (ctx) => ({
    results: projectView(
      find<ProjectModel>(ctx, 'project', 'projectId', (p) => ctx.view.projectVisible(p)),
      ctx.view,
    ),
  }),
  'hiringTeamRole.list': (ctx) => {
    const namesOnly = optBool(ctx.body, 'namesOnly') ?? true;
    return {
      results: namesOnly
        ? [...HIRING_TEAM_ROLES]
        : HIRING_TEAM_ROLES.map((title, i) => ({ id: ctx.core.world.id(Kind.HiringTeamRole, i), title })),
    };
  },
};
