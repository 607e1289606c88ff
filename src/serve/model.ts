import { parseStoredHistory, type StoredHistory } from './metrics/history.js';

/**
 * What the service keeps in its compacted topics. Values are JSON; keys are
 * `pipeline:<name>` (config topic), `status:<name>` and `history:<name>` (status topic: the
 * pipeline's status, and its last hour per minute, both written by the worker running it),
 * `credential:<name>` (credentials topic).
 */

export type TargetState = 'RUNNING' | 'PAUSED';
export type PipelineState = 'RUNNING' | 'PAUSED' | 'FAILED' | 'UNASSIGNED';

export interface PipelineRecord {
  name: string;
  /** Exactly what was posted: `${ENV}` references stay unresolved, so secrets never reach the topic. */
  config: Record<string, unknown>;
  kind: 'source' | 'sink';
  /** Partition of the assignment topic: the worker owning it runs the pipeline. Fixed at creation. */
  slot: number;
  target: TargetState;
  /** Bumped by every PUT and restart: the owner restarts the pipeline when it changes. */
  generation: number;
  created_at: string;
  updated_at: string;
}

export interface StreamStatus {
  stream: string;
  topic: string;
  phase: string;
  records: number;
  pages: number;
  detail?: string;
}

export interface PipelineError {
  error_code: string;
  message: string;
  at: string;
}

export interface PipelineStatus {
  name: string;
  state: PipelineState;
  worker_id: string | null;
  generation: number;
  streams: StreamStatus[];
  /** Source: the last finished pass; sink: counts since the last start. */
  last_pass?: Record<string, unknown>;
  last_error?: PipelineError;
  /** Restarts after failures in a row (reset by a successful pass). */
  failures: number;
  next_restart_at?: string;
  updated_at: string;
}

export interface CredentialRecord {
  name: string;
  /** scrypt parameters of this record's key derivation (per-record salt). */
  kdf: { name: 'scrypt'; salt: string; N: number; r: number; p: number };
  sealed: { iv: string; tag: string; data: string };
  title?: string;
  scopes?: string[];
  readable_modules: string[];
  /** The key test's answer (credentials/key-test.ts); absent on records stored before it was kept. */
  confidential_jobs?: { state: 'visible' | 'not-visible' | 'unknown'; evidence: string };
  base_url: string;
  created_at: string;
  rotated_at?: string;
  tested_at: string;
}

export const pipelineKey = (name: string): string => `pipeline:${name}`;
export const statusKey = (name: string): string => `status:${name}`;
export const credentialKey = (name: string): string => `credential:${name}`;
export const historyKey = (name: string): string => `history:${name}`;

/** What the status topic holds: statuses under `status:`, stored hours under `history:`. */
export type StatusTopicValue = PipelineStatus | StoredHistory;

/** Reads a status topic record by its key; a key of neither kind is left out. */
export function parseStatusTopicValue(raw: unknown, key: string): StatusTopicValue | undefined {
  if (key.startsWith('history:')) return parseStoredHistory(raw);
  if (key.startsWith('status:')) return raw as PipelineStatus;
  return undefined;
}

type StatusTopicView = { get(key: string): StatusTopicValue | undefined };

/** The status-topic view's entries of one pipeline, typed by their key. */
export function statusOf(map: StatusTopicView, name: string): PipelineStatus | undefined {
  return map.get(statusKey(name)) as PipelineStatus | undefined;
}

export function storedHistoryOf(map: StatusTopicView, name: string): StoredHistory | undefined {
  return map.get(historyKey(name)) as StoredHistory | undefined;
}

/** Pipeline names become parts of client ids, transactional ids and group ids. */
export const PIPELINE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function asObject(raw: unknown): Record<string, unknown> | undefined {
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
}
