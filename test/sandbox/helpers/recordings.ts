import { readFileSync, readdirSync } from 'node:fs';
import { type OpenApiValidator, normalizePath, type Issue } from './openapi-validator.js';
import { RECORDED_DIR as FIXTURE_RECORDED_DIR } from '../../support/ashby-fixtures.js';

/** The recorded real Ashby exchanges (test/fixtures/ashby/recorded), and what they teach about Ashby vs its spec. */

export interface RecordedExchange {
  file: string;
  index: number;
  method: string;
  path: string;
  endpoint: string;
  request: Record<string, unknown>;
  status: number;
  headers: Record<string, string>;
  response: any;
}

export const RECORDED_DIR = `${FIXTURE_RECORDED_DIR}/`;

export function loadRecordings(): RecordedExchange[] {
  const out: RecordedExchange[] = [];
  for (const file of readdirSync(RECORDED_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const list = JSON.parse(readFileSync(RECORDED_DIR + file, 'utf8')) as Omit<
      RecordedExchange,
      'file' | 'index' | 'endpoint'
    >[];
    list.forEach((x, index) => out.push({ ...x, file, index, endpoint: x.path.replace(/^\//, '') }));
  }
  return out;
}

/** Endpoints returning the same kind of record; Ashby's null-vs-absent habits are properties of the record kind. */
export const FAMILIES: Record<string, string[]> = {
  candidate: [
    'candidate.list',
    'candidate.info',
    'candidate.create',
    'candidate.update',
    'candidate.search',
    'candidate.addTag',
    'candidate.removeTag',
    'candidate.uploadFile',
    'candidate.uploadResume',
  ],
  application: [
    'application.list',
    'application.info',
    'application.create',
    'application.update',
    'application.changeStage',
    'application.changeSource',
    'application.transfer',
  ],
  job: ['job.list', 'job.info', 'job.search', 'job.create', 'job.update', 'job.setStatus'],
  department: ['department.list', 'department.info'],
  interview: ['interview.list', 'interview.info'],
  user: ['user.list', 'user.info', 'user.search'],
  source: ['source.list'],
  jobPostingSummary: ['jobPosting.list'],
  jobPosting: ['jobPosting.info'],
  note: ['candidate.createNote', 'candidate.listNotes'],
};

/**
 * Records of a kind that also appear embedded in another kind's recordings: their null habits
 * carry over (an interview stage is the application's currentInterviewStage, a history entry is an
 * element of application.info's applicationHistory, an expanded interview is an interview).
 */
export const EMBEDDED: readonly { endpoint: string; prefix: string; family: string; familyPrefix: string }[] = [
  { endpoint: 'application.listHistory', prefix: '', family: 'application', familyPrefix: 'applicationHistory[].' },
  { endpoint: 'interviewStage.list', prefix: '', family: 'application', familyPrefix: 'currentInterviewStage.' },
  { endpoint: 'interviewStage.info', prefix: '', family: 'application', familyPrefix: 'currentInterviewStage.' },
  { endpoint: 'interviewEvent.list', prefix: 'interview.', family: 'interview', familyPrefix: '' },
];

export function familyOf(endpoint: string): string | undefined {
  return Object.keys(FAMILIES).find((f) => FAMILIES[f]!.includes(endpoint));
}

/** "results[].source.id" / "results.source.id" → "source.id" */
export function recordPath(path: string): string {
  return normalizePath(path).replace(/^results(\[\])?\.?/, '');
}

/**
 * Where real traffic departs from the spec, per the recordings: fields Ashby sends as null although
 * the spec says they are not nullable (allowed for the whole record kind), and required fields a
 * specific endpoint's real response leaves out (allowed for that endpoint only: the slim write
 * responses of application.create/update/changeSource).
 */
export class RecordedDeviations {
  private readonly nullable = new Map<string, Set<string>>();
  private readonly omitted = new Map<string, Set<string>>();
  readonly all: { endpoint: string; path: string; kind: Issue['kind'] }[] = [];

  constructor(validator: OpenApiValidator, recordings: readonly RecordedExchange[]) {
    for (const x of recordings) {
      for (const issue of validator.validate(validator.successSchema(x.endpoint), x.response)) {
        const path = recordPath(issue.path);
        this.all.push({ endpoint: x.endpoint, path, kind: issue.kind });
        if (issue.kind === 'null') {
          const key = familyOf(x.endpoint) ?? x.endpoint;
          if (!this.nullable.has(key)) this.nullable.set(key, new Set());
          this.nullable.get(key)!.add(path);
        } else if (issue.kind === 'required') {
          if (!this.omitted.has(x.endpoint)) this.omitted.set(x.endpoint, new Set());
          this.omitted.get(x.endpoint)!.add(path);
        } else {
          throw new Error(`recording ${x.file} breaks the spec in an unexpected way: ${issue.path} ${issue.message}`);
        }
      }
    }
  }

  /** Whether a spec violation found in a sandbox response of `endpoint` is one real Ashby shows too. */
  allows(endpoint: string, issue: Issue): boolean {
    const path = recordPath(issue.path);
    if (issue.kind === 'null') {
      if (this.nullable.get(familyOf(endpoint) ?? endpoint)?.has(path)) return true;
      return EMBEDDED.some(
        (e) =>
          e.endpoint === endpoint &&
          path.startsWith(e.prefix) &&
          (this.nullable.get(e.family)?.has(e.familyPrefix + path.slice(e.prefix.length)) ?? false),
      );
    }
    if (issue.kind === 'required') return this.omitted.get(endpoint)?.has(path) ?? false;
    return false;
  }
}
