import {
  AshbyApiError,
  AshbyPermissionError,
  PERMISSION_MODULES,
  listPaging,
  permissionFor,
  type AshbyClient,
} from '../ashby/index.js';
import type { Logger } from '../log/logger.js';
import type { CredentialTestRecord } from './store.js';

/**
 * What a key can do, asked of Ashby itself. `apiKey.info` gives the title and the scopes when
 * the key may read API Keys; otherwise one cheap read per module (limit 1) shows which modules
 * are readable. Write access cannot be probed without writing, so it is only known from scopes.
 * Confidential jobs: Ashby hides them from keys without the "Allow access to confidential jobs
 * and projects?" option (docs/ashby-api.md §4.3), so seeing one proves access; seeing none proves little.
 *
 * Auth failures (401, unknown or deactivated key), network errors and timeouts are thrown: the
 * key could not be tested at all.
 */

/** One read per module; each endpoint's permission is checked against the module in a test. */
export const MODULE_PROBES: Readonly<Record<string, string>> = {
  jobs: 'job.list',
  candidates: 'candidate.list',
  interviews: 'interview.list',
  hiringProcessMetadata: 'source.list',
  organization: 'department.list',
  offers: 'offer.list',
  approvals: 'approval.list',
};

/** Confidential-job scan bound: at most this many job.list pages of 100 (a large org is not read end to end). */
export const CONFIDENTIAL_SCAN_MAX_PAGES = 5;

export type Readability = 'readable' | 'not-readable' | 'not-probed';

export interface ModuleAccess {
  moduleKey: string;
  module: string;
  read: Readability | 'readable-by-scope' | 'no-scope';
  write: 'yes' | 'no' | 'unknown';
  /** The probe endpoint, when one was called. */
  endpoint?: string;
  /** Why a probe was inconclusive. */
  note?: string;
}

export type ConfidentialVisibility =
  | { state: 'visible'; evidence: string }
  | { state: 'not-visible'; evidence: string }
  | { state: 'unknown'; evidence: string };

export interface KeyTestReport {
  baseUrl: string;
  testedAt: string;
  title?: string;
  /** Scope strings from apiKey.info, e.g. `candidates:read`; undefined when the key may not read API Keys. */
  scopes?: string[];
  modules: ModuleAccess[];
  confidentialJobs: ConfidentialVisibility;
}

export interface KeyTestOptions {
  /** A job id known to be confidential: `job.info` on it answers whether the key sees confidential jobs. */
  confidentialJobId?: string;
  signal?: AbortSignal;
  now?: () => Date;
  /** Refused probes are logged here at debug level (with the permission error's message). */
  logger?: Logger;
}

function scopeOf(moduleKey: string, access: 'read' | 'write'): string {
  return `${moduleKey}:${access}`;
}

async function probeRead(
  client: AshbyClient,
  endpoint: string,
  options: KeyTestOptions,
): Promise<{ read: Readability; note?: string }> {
  const body = listPaging(endpoint) === 'single' ? {} : { limit: 1 };
  try {
    await client.call(endpoint, body, { kind: 'read', signal: options.signal });
    return { read: 'readable' };
  } catch (err) {
    if (err instanceof AshbyPermissionError) {
      options.logger?.debug('probe refused: module not readable', { endpoint, error: err });
      return { read: 'not-readable' };
    }
    // Past the permission check, Ashby only disliked the request: the module is readable.
    if (err instanceof AshbyApiError) return { read: 'readable', note: `${endpoint} answered ${err.ashbyCode}` };
    throw err;
  }
}

async function confidentialVisibility(client: AshbyClient, options: KeyTestOptions): Promise<ConfidentialVisibility> {
  const { confidentialJobId: id, signal } = options;
  if (id) {
    try {
      const job = await client.job.info(id, { signal });
      const confidential = (job.results as { confidential?: boolean }).confidential;
      return confidential
        ? { state: 'visible', evidence: `job.info ${id} returned the confidential job` }
        : { state: 'unknown', evidence: `job ${id} is not marked confidential, so it proves nothing` };
    } catch (err) {
      if (err instanceof AshbyApiError && /not_found/.test(err.ashbyCode)) {
        return {
          state: 'not-visible',
          evidence: `job.info ${id} answered ${err.ashbyCode}: the key lacks "Allow access to confidential jobs and projects", or the id is wrong`,
        };
      }
      throw err;
    }
  }
  let jobs = 0;
  let pages = 0;
  for await (const page of client.pages<{ confidential?: boolean }>('job.list', {}, { signal })) {
    pages += 1;
    jobs += page.results.length;
    if (page.results.some((j) => j.confidential === true)) {
      return { state: 'visible', evidence: `job.list shows confidential jobs` };
    }
    if (page.moreDataAvailable && pages >= CONFIDENTIAL_SCAN_MAX_PAGES) {
      return {
        state: 'unknown',
        evidence: `no confidential job among the first ${jobs} jobs; pass --confidential-job ID to check a known one`,
      };
    }
  }
  return {
    state: 'not-visible',
    evidence: `none of the ${jobs} jobs this key can list is confidential: either the key lacks "Allow access to confidential jobs and projects" or the organisation has none (pass --confidential-job ID to be sure)`,
  };
}

export async function testAshbyKey(client: AshbyClient, options: KeyTestOptions = {}): Promise<KeyTestReport> {
  const { signal } = options;
  const testedAt = (options.now ?? (() => new Date()))().toISOString();
  let title: string | undefined;
  let scopes: string[] | undefined;
  try {
    const info = await client.apiKey.info({ signal });
    title = info.results.title ?? undefined;
    scopes = info.results.scopes ?? [];
  } catch (err) {
    if (!(err instanceof AshbyPermissionError)) throw err;
    options.logger?.debug('apiKey.info refused; probing modules instead', { error: err });
  }

  const modules: ModuleAccess[] = [];
  for (const m of PERMISSION_MODULES) {
    const entry: ModuleAccess = { moduleKey: m.key, module: m.label, read: 'not-probed', write: 'unknown' };
    if (scopes) {
      entry.read = scopes.includes(scopeOf(m.key, 'read')) ? 'readable-by-scope' : 'no-scope';
      entry.write = scopes.includes(scopeOf(m.key, 'write')) ? 'yes' : 'no';
    } else if (m.key === 'apiKeys') {
      entry.read = 'not-readable';
      entry.endpoint = 'apiKey.info';
    } else {
      const endpoint = MODULE_PROBES[m.key];
      if (endpoint) {
        entry.endpoint = endpoint;
        const probe = await probeRead(client, endpoint, options);
        entry.read = probe.read;
        if (probe.note) entry.note = probe.note;
      } else {
        entry.note = 'no cheap read to probe';
      }
    }
    modules.push(entry);
  }

  const jobs = modules.find((m) => m.moduleKey === 'jobs');
  const canReadJobs = jobs?.read === 'readable' || jobs?.read === 'readable-by-scope';
  const confidentialJobs: ConfidentialVisibility = canReadJobs
    ? await confidentialVisibility(client, options)
    : { state: 'unknown', evidence: 'the key cannot read Jobs' };

  return {
    baseUrl: client.baseUrl,
    testedAt,
    ...(title !== undefined ? { title } : {}),
    ...(scopes ? { scopes } : {}),
    modules,
    confidentialJobs,
  };
}

/** Modules the report shows as readable, by scope or by probe. */
export function readableModules(report: KeyTestReport): string[] {
  return report.modules.filter((m) => m.read === 'readable' || m.read === 'readable-by-scope').map((m) => m.moduleKey);
}

/** Whether the key may call this endpoint: true/false from scopes or probes, undefined when unknown. */
export function reportAllows(report: KeyTestReport, endpoint: string): boolean | undefined {
  const p = permissionFor(endpoint);
  if (!p) return undefined;
  if (report.scopes) return report.scopes.includes(p.scope);
  const m = report.modules.find((x) => x.moduleKey === p.moduleKey);
  if (p.access === 'write') return undefined;
  if (m?.read === 'readable') return true;
  if (m?.read === 'not-readable') return false;
  return undefined;
}

/** The summary kept in the credential store after a test. */
export function toTestRecord(report: KeyTestReport): CredentialTestRecord {
  return {
    ok: true,
    tested_at: report.testedAt,
    base_url: report.baseUrl,
    ...(report.title !== undefined ? { title: report.title } : {}),
    ...(report.scopes ? { scopes: report.scopes } : { readable_modules: readableModules(report) }),
    ...(report.confidentialJobs.state !== 'unknown'
      ? { confidential_jobs_visible: report.confidentialJobs.state === 'visible' }
      : {}),
  };
}
