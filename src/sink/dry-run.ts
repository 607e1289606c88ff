import type { AshbyRequest, CommandPlan } from './operations/command-plan.js';
import type { AshbyCaller } from './reconcile.js';

/**
 * The dry run's checks of a planned command against live Ashby metadata, without writing: the
 * stage belongs to the application's job's interview plan; the archive reason, tag, source and
 * users exist; custom field ids exist for that object type and each value fits its field's type;
 * an interview schedule's application, interviewers (by email) and interviews exist.
 * Reads only. Metadata lists are read once per pass (`MetadataCache`); per-record reads
 * (application.info, interviewStage.info) are cached too.
 *
 * A value the plan takes from an earlier step's result (a created candidate's id) is not known
 * before the write, so what hangs on it is not checked.
 */
export class MetadataCache {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ashby: AshbyCaller,
    private readonly signal?: AbortSignal,
  ) {}

  read<T>(endpoint: string, body: Record<string, unknown> = {}): Promise<T> {
    const key = `${endpoint} ${JSON.stringify(body)}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.ashby.call<T>(endpoint, body, { kind: 'read', signal: this.signal }).then((r) => r.results);
      // A failed read is not cached: the next command asks again.
      hit.catch(() => this.cache.delete(key));
      this.cache.set(key, hit);
    }
    return hit as Promise<T>;
  }

  /** Reads made (not served from the cache); for tests and the summary. */
  get size(): number {
    return this.cache.size;
  }
}

interface Named {
  id: string;
  isArchived?: boolean;
}
interface FieldDef extends Named {
  title?: string;
  objectType?: string;
  fieldType?: string;
  selectableValues?: Array<{ value: string; isArchived?: boolean }>;
}

async function ids(
  cache: MetadataCache,
  endpoint: string,
  body: Record<string, unknown> = {},
): Promise<Map<string, Named>> {
  const list = await cache.read<Named[]>(endpoint, body);
  return new Map((list ?? []).map((x) => [x.id.toLowerCase(), x]));
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Why a value does not fit a custom field of this type, or undefined when it does (null clears and always fits). */
export function customFieldProblem(def: FieldDef, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const options = new Set((def.selectableValues ?? []).filter((o) => !o.isArchived).map((o) => o.value));
  const name = `custom field ${def.id} ("${def.title ?? ''}", ${def.fieldType})`;
  switch (def.fieldType) {
    case 'Boolean':
      return typeof value === 'boolean' ? undefined : `${name} takes true or false, got ${JSON.stringify(value)}`;
    case 'Number':
      return isNum(value) ? undefined : `${name} takes a number, got ${JSON.stringify(value)}`;
    case 'String':
    case 'LongText':
    case 'Email':
    case 'Phone':
      return typeof value === 'string' ? undefined : `${name} takes a string, got ${JSON.stringify(value)}`;
    case 'Date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? undefined
        : `${name} takes a date (YYYY-MM-DD or ISO 8601), got ${JSON.stringify(value)}`;
    case 'ValueSelect':
      return typeof value === 'string' && options.has(value)
        ? undefined
        : `${name} takes one of ${[...options].join(', ')}, got ${JSON.stringify(value)}`;
    case 'MultiValueSelect':
      return Array.isArray(value) && value.every((v) => typeof v === 'string' && options.has(v))
        ? undefined
        : `${name} takes a list of ${[...options].join(', ')}, got ${JSON.stringify(value)}`;
    default:
      return undefined;
  }
}

async function checkStage(cache: MetadataCache, body: Record<string, unknown>, problems: string[]): Promise<void> {
  const stageId = body.interviewStageId;
  if (typeof stageId !== 'string') return;
  let planIds: string[] | undefined;
  if (typeof body.interviewPlanId === 'string')
    planIds = [body.interviewPlanId]; // application.transfer names the plan
  else if (typeof body.applicationId === 'string') {
    const app = await cache
      .read<{ job?: { id?: string } }>('application.info', { applicationId: body.applicationId })
      .catch(() => undefined);
    if (!app) return void problems.push(`application ${body.applicationId} does not exist (or this key cannot see it)`);
    const job = app.job?.id
      ? await cache.read<{ interviewPlanIds?: string[] }>('job.info', { id: app.job.id }).catch(() => undefined)
      : undefined;
    planIds = job?.interviewPlanIds;
  }
  if (!planIds?.length) return;
  const stage = await cache
    .read<{ interviewPlanId?: string; type?: string }>('interviewStage.info', { interviewStageId: stageId })
    .catch(() => undefined);
  if (!stage) return void problems.push(`interviewStageId ${stageId} is not an interview stage`);
  if (!planIds.includes(stage.interviewPlanId ?? ''))
    problems.push(
      `interviewStageId ${stageId} is not in the interview plan of the application's job (${planIds.join(', ')})`,
    );
  if (body.archiveReasonId !== undefined && stage.type !== 'Archived')
    problems.push(`interviewStageId ${stageId} is a ${stage.type} stage; an archive reason needs an Archived stage`);
}

async function checkRefs(cache: MetadataCache, body: Record<string, unknown>, problems: string[]): Promise<void> {
  const refs: Array<[field: string, endpoint: string, listBody: Record<string, unknown>, what: string]> = [
    ['archiveReasonId', 'archiveReason.list', { includeArchived: true }, 'archive reason'],
    ['tagId', 'candidateTag.list', { includeArchived: true }, 'candidate tag'],
    ['sourceId', 'source.list', { includeArchived: true }, 'source'],
    ['creditedToUserId', 'user.list', { includeDeactivated: true }, 'user'],
    ['teamMemberId', 'user.list', { includeDeactivated: true }, 'user'],
    ['userId', 'user.list', { includeDeactivated: true }, 'user'],
  ];
  for (const [field, endpoint, listBody, what] of refs) {
    const id = body[field];
    if (typeof id !== 'string') continue;
    const known = (await ids(cache, endpoint, listBody)).get(id.toLowerCase());
    if (!known) problems.push(`${field} ${id} is not ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what} in Ashby`);
    else if (known.isArchived) problems.push(`${field} ${id} is an archived ${what}`);
  }
}

async function checkCustomFields(
  cache: MetadataCache,
  body: Record<string, unknown>,
  problems: string[],
): Promise<void> {
  const defs = (await cache.read<FieldDef[]>('customField.list', { includeArchived: true })) ?? [];
  const byId = new Map(defs.map((d) => [d.id.toLowerCase(), d]));
  for (const v of (body.values as Array<{ fieldId: string; fieldValue: unknown }> | undefined) ?? []) {
    const def = byId.get(String(v.fieldId).toLowerCase());
    if (!def) problems.push(`custom field ${v.fieldId} does not exist`);
    else if (def.objectType !== body.objectType)
      problems.push(
        `custom field ${v.fieldId} ("${def.title ?? ''}") belongs to ${def.objectType} records, not ${String(body.objectType)}`,
      );
    else if (def.isArchived) problems.push(`custom field ${v.fieldId} ("${def.title ?? ''}") is archived`);
    else {
      const problem = customFieldProblem(def, v.fieldValue);
      if (problem) problems.push(problem);
    }
  }
}

/** An interview schedule's events: the application exists, each interviewer is a user (by email), each interview exists. */
async function checkSchedule(cache: MetadataCache, body: Record<string, unknown>, problems: string[]): Promise<void> {
  if (typeof body.applicationId === 'string') {
    const app = await cache.read('application.info', { applicationId: body.applicationId }).catch(() => undefined);
    if (!app) problems.push(`application ${body.applicationId} does not exist (or this key cannot see it)`);
  }
  const events = [body.interviewEvents, body.interviewEvent].flat().filter(Boolean) as Array<{
    interviewers?: Array<{ email?: string }>;
    interviewId?: string;
  }>;
  if (!events.length) return;
  const users =
    (await cache.read<Array<{ email?: string; isEnabled?: boolean }>>('user.list', { includeDeactivated: true })) ?? [];
  const byEmail = new Map(users.map((u) => [String(u.email).toLowerCase(), u]));
  const interviews = await ids(cache, 'interview.list', { includeArchived: true, includeNonSharedInterviews: true });
  for (const e of events) {
    for (const { email } of e.interviewers ?? []) {
      const user = byEmail.get(String(email).toLowerCase());
      if (!user) problems.push(`interviewer ${email} is not an Ashby user`);
      else if (user.isEnabled === false) problems.push(`interviewer ${email} is a deactivated user`);
    }
    if (typeof e.interviewId === 'string') {
      const interview = interviews.get(e.interviewId.toLowerCase());
      if (!interview) problems.push(`interviewId ${e.interviewId} is not an interview in Ashby`);
      else if (interview.isArchived) problems.push(`interviewId ${e.interviewId} is an archived interview`);
    }
  }
}

function stepsOf(plan: CommandPlan): AshbyRequest[] {
  return plan.kind === 'sequence' ? plan.steps : [plan.lookup, ...plan.whenFound, ...plan.whenMissing];
}

/** The problems a planned command would run into, found by reading Ashby's metadata; empty when none is found. */
export async function dryRunProblems(plan: CommandPlan, cache: MetadataCache): Promise<string[]> {
  const problems: string[] = [];
  for (const step of stepsOf(plan)) {
    const body = step.body;
    if (step.endpoint === 'customField.setValues') await checkCustomFields(cache, body, problems);
    else if (step.endpoint.startsWith('interviewSchedule.')) await checkSchedule(cache, body, problems);
    else {
      await checkStage(cache, body, problems);
      await checkRefs(cache, body, problems);
    }
  }
  return [...new Set(problems)];
}
