import type { Body } from '../http/params.js';

/**
 * One pass through a list (full or incremental). Ashby cursors are opaque; the sandbox's cursor
 * names a run kept here plus a position, so "the cursor alone identifies the run" (docs/ashby-api.md §2.1, §2.5):
 * page 2+ may resend the syncToken and filters or not, with the same result.
 */
export interface ListRun {
  id: number;
  endpoint: string;
  keyName: string;
  /** Filters of the first request of the pass; later pages use these. */
  body: Body;
  /** Change sequence when the pass began: the sync token issued on its last page. */
  snapshotSeq: number;
  /**
   * 'scan': walk list positions (generated slots, then created records);
   * 'ids': walk a fixed id list (incremental passes, per-parent lists).
   */
  mode: 'scan' | 'ids';
  /** An incremental pass: records changed again after `snapshotSeq` are left to the next pass. */
  incremental?: boolean;
  ids?: string[];
  /** Scan mode: generated positions from `skipFrom` up to the generated end are skipped (createdBefore). */
  skipFrom?: number;
  startPosition: number;
}

/** Runs kept for cursors; evicting the oldest makes its cursor expire, as a long-idle Ashby cursor would. */
export const RUN_CAPACITY = 10_000;

export class RunRegistry {
  private readonly runs = new Map<number, ListRun>();
  private nextId = 1;

  create(run: Omit<ListRun, 'id'>): ListRun {
    const full = { ...run, id: this.nextId++ };
    this.runs.set(full.id, full);
    if (this.runs.size > RUN_CAPACITY) this.runs.delete(this.runs.keys().next().value as number);
    return full;
  }

  get(id: number): ListRun | undefined {
    const run = this.runs.get(id);
    if (run) {
      this.runs.delete(id);
      this.runs.set(id, run);
    }
    return run;
  }

  clear(): void {
    this.runs.clear();
  }
}
