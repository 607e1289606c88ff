/**
 * How `p` ended once every pending microtask has run: `{ resolved: value }`, the rejection's
 * reason, or 'pending' when it still waits (on a timer, say). For tests that must tell "settled
 * at once" from "waiting" without a timeout.
 */
export async function outcomeNow(p: Promise<unknown>): Promise<unknown> {
  let outcome: unknown = 'pending';
  void p.then(
    (v) => (outcome = { resolved: v }),
    (e: unknown) => (outcome = e),
  );
  await new Promise((r) => setImmediate(r));
  return outcome;
}
