import { Kind } from '../data/ids.js';
import type { ApplicationModel } from '../data/models.js';
import type { Store } from './store.js';

/**
 * Applications per job, for application.list {jobId}. Generated applications pick their job by
 * hash, so finding a job's applications means looking at every application slot once; the
 * result (a counting sort, two Int32Arrays) is kept. Written or created applications are looked
 * at directly, since a write may have moved one to another job.
 */
export class JobApplicationIndex {
  private offsets?: Int32Array;
  private slots?: Int32Array;

  constructor(private readonly store: Store) {}

  private build(): void {
    const w = this.store.world;
    const total = this.store.generatedSlots('application');
    const jobOf = new Int32Array(total).fill(-1);
    const counts = new Int32Array(w.counts.jobs + 1);
    for (let s = 0; s < total; s++) {
      if (!w.applicationExists(s)) continue;
      const j = w.applicationJobIndex(s);
      jobOf[s] = j;
      counts[j + 1]!++;
    }
    for (let j = 0; j < w.counts.jobs; j++) counts[j + 1]! += counts[j]!;
    const slots = new Int32Array(counts[w.counts.jobs]!);
    const fill = counts.slice(0, w.counts.jobs);
    for (let s = 0; s < total; s++) if (jobOf[s]! >= 0) slots[fill[jobOf[s]!]!++] = s;
    this.offsets = counts;
    this.slots = slots;
  }

  /** Ids of the applications to job `jobId`, generated ones first (in slot order), then written ones. */
  applicationIds(jobId: string): string[] {
    const w = this.store.world;
    const out: string[] = [];
    const seen = new Set<string>();
    const j = w.ids.indexOf(Kind.Job, jobId);
    if (j !== undefined && j < w.counts.jobs) {
      if (!this.offsets) this.build();
      for (let k = this.offsets![j]!; k < this.offsets![j + 1]!; k++) {
        const id = w.id(Kind.Application, this.slots![k]!);
        out.push(id);
        seen.add(id);
      }
    }
    for (const id of this.store.touchedIds('application')) {
      if (!seen.has(id) && this.store.get<ApplicationModel>('application', id)?.jobId === jobId) out.push(id);
    }
    return out;
  }
}
