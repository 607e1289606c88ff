/**
 * The order in which new pipelines take assignment-topic partitions ("slots"). Kafka's assignor
 * balances partitions, not pipelines, and hands each worker a run of neighbouring partitions on
 * a fresh group; filling slots 0, 1, 2, … would put the first pipelines on one worker. Stepping
 * through the slots by a stride near n × 0.382 (a golden-ratio step, co-prime with n, so every
 * slot comes once) spreads consecutive pipelines over the whole range, hence over the workers.
 */
export function slotOrder(n: number): number[] {
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  let stride = Math.round(n * 0.382);
  while (gcd(stride, n) !== 1) stride++;
  return Array.from({ length: n }, (_, i) => (i * stride) % n);
}

/** The least-used slot, ties broken by slotOrder. */
export function leastUsedSlot(n: number, usedSlots: Iterable<number>): number {
  const used = new Array<number>(n).fill(0);
  for (const s of usedSlots) if (s >= 0 && s < n) used[s]!++;
  let best = -1;
  for (const s of slotOrder(n)) if (best < 0 || used[s]! < used[best]!) best = s;
  return best;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
