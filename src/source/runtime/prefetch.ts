/**
 * Runs an async iterable ahead of its consumer by up to `depth` items, so the next Ashby page is
 * being fetched while the current one is encoded and produced. The buffer is bounded: the
 * source is not pulled again until the consumer takes an item, which keeps memory flat
 * whatever the stream's size. An error of the source surfaces at the consumer's next take;
 * a consumer that stops early (break / throw) closes the source.
 */
export async function* prefetch<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T, void, undefined> {
  if (depth < 1) {
    yield* source;
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  const buffer: Array<Promise<IteratorResult<T>>> = [];
  let done = false;
  let inFlight = false;
  // One pull in flight at a time (an async generator serialises next() calls anyway); when it
  // lands and the buffer has room, the next one starts, so up to `depth` items wait ready.
  const pull = (): void => {
    if (done || inFlight) return;
    inFlight = true;
    const next = iterator.next();
    buffer.push(next);
    next.then(
      (r) => {
        inFlight = false;
        if (r.done)
          done = true; // no pull runs past the end
        else if (buffer.length < depth) pull();
      },
      () => {
        inFlight = false;
        done = true;
      },
    );
  };
  try {
    pull();
    for (;;) {
      const result = await buffer.shift()!;
      if (result.done) return;
      if (buffer.length < depth) pull();
      yield result.value;
    }
  } finally {
    if (!done) {
      done = true;
      // Let a pending pull settle before closing the source (return() on a running generator queues behind it).
      await Promise.allSettled(buffer);
      await iterator.return?.();
    }
  }
}
