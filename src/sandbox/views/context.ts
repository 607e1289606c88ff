import { Kind } from '../data/ids.js';
import type { CustomFieldDefinitionModel } from '../data/forms.js';
import type { ApplicationModel, CandidateModel, CustomFieldEntry, JobModel } from '../data/models.js';
import type { SourceModel, UserModel } from '../data/org.js';
import type { ProjectModel } from '../data/process.js';
import type { EntityName } from '../store/entities.js';
import type { Store } from '../store/store.js';

/**
 * What a view needs to know about the caller: Ashby hides confidential jobs and projects (and
 * everything attached to them) and private custom-field values from keys without the matching
 * options (docs/ashby-api.md §4.3).
 */
export interface Viewer {
  confidential: boolean;
  privateFields: boolean;
}

export const FULL_VIEWER: Viewer = { confidential: true, privateFields: true };

export class ViewContext {
  /** Small records a page embeds over and over (sources, users, stages…), memoised for one request. */
  private readonly memo = new Map<string, unknown>();

  constructor(
    readonly store: Store,
    readonly viewer: Viewer,
  ) {}

  /** store.get, remembered for the life of this context (one request): safe, since a request reads before it writes or after. */
  lookup<T>(entity: EntityName, id: string): T | undefined {
    let hit = this.memo.get(id);
    if (hit === undefined) {
      hit = this.store.get<T>(entity, id) ?? null;
      this.memo.set(id, hit);
    }
    return (hit ?? undefined) as T | undefined;
  }

  get world() {
    return this.store.world;
  }

  // ---- confidentiality ------------------------------------------------------------------

  jobVisible(jobId: string | undefined): boolean {
    if (this.viewer.confidential || jobId === undefined) return true;
    const job = this.lookup<JobModel>('job', jobId);
    return job !== undefined && !job.confidential;
  }

  /** The job of an application, without generating the application when it is untouched. */
  applicationJobId(applicationId: string): string | undefined {
    const stored = this.store.override<ApplicationModel>('application', applicationId);
    if (stored) return stored.jobId;
    if (this.store.isDeleted('application', applicationId)) return undefined;
    const slot = this.world.ids.indexOf(Kind.Application, applicationId);
    if (slot === undefined || !this.world.applicationExists(slot)) return undefined;
    return this.world.id(Kind.Job, this.world.applicationJobIndex(slot));
  }

  applicationVisible(applicationId: string): boolean {
    if (this.viewer.confidential) return true;
    const jobId = this.applicationJobId(applicationId);
    return jobId !== undefined && this.jobVisible(jobId);
  }

  projectVisible(project: ProjectModel | undefined): boolean {
    return project !== undefined && (this.viewer.confidential || !project.confidential);
  }

  /**
   * A candidate is hidden when it is attached to something confidential and to nothing the key
   * may see: all its applications are to confidential jobs, or it has none and sits in a
   * confidential project.
   */
  candidateVisible(candidate: CandidateModel): boolean {
    if (this.viewer.confidential) return true;
    let confidentialLinks = 0;
    for (const appId of candidate.applicationIds) {
      if (this.applicationVisible(appId)) return true;
      confidentialLinks++;
    }
    for (const projectId of candidate.projectIds) {
      const project = this.store.get<ProjectModel>('project', projectId);
      if (project?.confidential) confidentialLinks++;
    }
    return confidentialLinks === 0;
  }

  visibleApplicationIds(candidate: CandidateModel): string[] {
    if (this.viewer.confidential)
      return candidate.applicationIds.filter((id) => !this.store.isDeleted('application', id));
    return candidate.applicationIds.filter((id) => this.applicationVisible(id));
  }

  // ---- small shared sub-shapes ----------------------------------------------------------

  user(id: string | null | undefined): UserModel | null {
    if (!id) return null;
    const u = this.lookup<UserModel>('user', id);
    return u
      ? {
          id: u.id,
          firstName: u.firstName,
          lastName: u.lastName,
          email: u.email,
          globalRole: u.globalRole,
          isEnabled: u.isEnabled,
          updatedAt: u.updatedAt,
        }
      : null;
  }

  source(id: string | null | undefined): SourceModel | null {
    if (!id) return null;
    return this.lookup<SourceModel>('source', id) ?? null;
  }

  /**
   * Custom field values as Ashby sends them: definition title, privacy flag and, for select
   * fields, the option labels. Private values are dropped for keys without private-field access,
   * except on offers (`allowPrivate`).
   */
  customFields(entries: readonly CustomFieldEntry[], allowPrivate = false): unknown[] {
    const out: unknown[] = [];
    for (const entry of entries) {
      const def = this.lookup<CustomFieldDefinitionModel>('customField', entry.fieldId);
      if (!def) continue;
      if (def.isPrivate && !allowPrivate && !this.viewer.privateFields) continue;
      const labelOf = (v: unknown): string => def.selectableValues?.find((o) => o.value === v)?.label ?? String(v);
      const valueLabel =
        def.fieldType === 'ValueSelect'
          ? { valueLabel: labelOf(entry.value) }
          : def.fieldType === 'MultiValueSelect' && Array.isArray(entry.value)
            ? { valueLabel: entry.value.map(labelOf) }
            : {};
      out.push({ id: def.id, isPrivate: def.isPrivate, title: def.title, ...valueLabel, value: entry.value });
    }
    return out;
  }

  hiringTeam(entries: readonly { userId: string; role: string }[]): unknown[] {
    const out: unknown[] = [];
    for (const e of entries) {
      const u = this.lookup<UserModel>('user', e.userId);
      if (u) out.push({ email: u.email, firstName: u.firstName, lastName: u.lastName, role: e.role, userId: u.id });
    }
    return out;
  }
}
