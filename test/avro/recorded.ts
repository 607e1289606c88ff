import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STREAM_SPECS } from '../../tools/avro-generate/stream-specs.js';
import { RECORDED_DIR as FIXTURE_RECORDED_DIR } from '../support/ashby-fixtures.js';

/**
 * Every Ashby record in the anonymised recordings (test/fixtures/ashby/recorded), with the stream
 * whose schema it belongs to. List responses give one record per `results` item; single-record
 * responses (info, create, update…) give their `results` object.
 */
export const RECORDED_DIR = FIXTURE_RECORDED_DIR;

const SINGLE_RECORD_STREAMS: Readonly<Record<string, string>> = {
  'application.info': 'applications',
  'application.create': 'applications',
  'application.update': 'applications',
  'application.changeStage': 'applications',
  'application.changeSource': 'applications',
  'candidate.info': 'candidates',
  'candidate.create': 'candidates',
  'candidate.update': 'candidates',
  'candidate.createNote': 'candidate_notes',
  'job.info': 'jobs',
  'user.info': 'users',
  'department.info': 'departments',
  'interview.info': 'interviews',
  'jobPosting.info': 'job_postings',
};

const LIST_STREAMS: Readonly<Record<string, string>> = Object.fromEntries(
  STREAM_SPECS.map((s) => [s.endpoint, s.stream]),
);

export interface RecordedRecord {
  file: string;
  endpoint: string;
  stream: string;
  record: Record<string, unknown>;
}

interface Exchange {
  path: string;
  response?: { success?: boolean; results?: unknown };
}

export function recordedRecords(): RecordedRecord[] {
  const out: RecordedRecord[] = [];
  for (const file of readdirSync(RECORDED_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const exchanges = JSON.parse(readFileSync(join(RECORDED_DIR, file), 'utf8')) as Exchange[];
    for (const ex of exchanges) {
      const endpoint = ex.path.replace(/^\//, '');
      const results = ex.response?.success ? ex.response.results : undefined;
      if (Array.isArray(results)) {
        const stream = LIST_STREAMS[endpoint];
        if (!stream) throw new Error(`${file}: no stream for list endpoint ${endpoint}`);
        for (const record of results) out.push({ file, endpoint, stream, record: record as Record<string, unknown> });
      } else if (results && typeof results === 'object') {
        const stream = SINGLE_RECORD_STREAMS[endpoint];
        if (!stream) throw new Error(`${file}: no stream for ${endpoint}`);
        out.push({ file, endpoint, stream, record: results as Record<string, unknown> });
      }
    }
  }
  return out;
}
