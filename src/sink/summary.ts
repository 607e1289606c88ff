import type { MessageOutcome } from './command-processor.js';

/** Counts for progress lines and the final summary. */
export interface SinkSummary {
  processed: number;
  ok: number;
  created: number;
  updated: number;
  /** Redeliveries the ledger showed already applied. */
  skipped: number;
  deadLettered: number;
  /** Commands that stopped the sink (not committed; they run again next time). */
  failed: number;
  /** `entity.operation` → counts. */
  byOperation: Record<string, { ok: number; deadLettered: number; failed: number }>;
}

export function emptySummary(): SinkSummary {
  return { processed: 0, ok: 0, created: 0, updated: 0, skipped: 0, deadLettered: 0, failed: 0, byOperation: {} };
}

export function countOutcome(s: SinkSummary, entity: string, outcome: MessageOutcome): void {
  if (outcome.kind === 'aborted') return;
  const op = `${entity}.${outcome.operation ?? '(undecodable)'}`;
  const row = (s.byOperation[op] ??= { ok: 0, deadLettered: 0, failed: 0 });
  switch (outcome.kind) {
    case 'ok':
      s.processed++;
      s.ok++;
      row.ok++;
      if (outcome.action === 'created') s.created++;
      else if (outcome.action === 'updated') s.updated++;
      break;
    case 'skipped':
      s.processed++;
      s.skipped++;
      break;
    case 'dead_lettered':
      s.processed++;
      s.deadLettered++;
      row.deadLettered++;
      break;
    case 'fatal':
      s.failed++;
      row.failed++;
      break;
  }
}

export function formatSummary(s: SinkSummary, seconds: number): string {
  const ops = Object.entries(s.byOperation)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([op, c]) =>
        `  ${op.padEnd(28)} ok ${c.ok}${c.deadLettered ? `, dead-lettered ${c.deadLettered}` : ''}${c.failed ? `, failed ${c.failed}` : ''}`,
    );
  return [
    `processed ${s.processed} command(s) in ${seconds.toFixed(1)}s: ok ${s.ok} (created ${s.created}, updated ${s.updated}), already applied ${s.skipped}, dead-lettered ${s.deadLettered}, failed ${s.failed}`,
    ...ops,
  ].join('\n');
}
