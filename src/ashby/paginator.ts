import { AshbyKafkaError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { AshbyEnvelope } from './classify.js';
import { MAX_PAGE_SIZE, listPaging, withCompletenessFlags } from './completeness.js';
import { AshbyInvalidResponseError, isRestartError } from './errors.js';
import type { AshbyPage, PagesOptions } from './types.js';

/**
 * docs/ashby-api.md §2.1 paging over one list endpoint. Loops on `moreDataAvailable` (an empty page in the
 * middle is normal), repeats the whole body with the cursor on later pages, and hands the
 * final `syncToken` out on the last page. Restart codes surface as AshbySyncTokenError (run a
 * full sync) or AshbyCursorError (restart the pass); the paginator never restarts on its own,
 * because only the caller knows whether records already emitted must be re-emitted.
 */
export type EnvelopeFetcher = (
  endpoint: string,
  body: Record<string, unknown>,
  signal: AbortSignal | undefined,
) => Promise<{ envelope: AshbyEnvelope; requestId: string | undefined }>;

/** Thrown for misuse by the caller, e.g. a sync token for an endpoint that has none. */
export class AshbyPagingUsageError extends AshbyKafkaError {
  constructor(message: string, endpoint: string) {
    super('ASHBY_PAGING_UNSUPPORTED', message, { details: { endpoint } });
  }
}

/** The first-page body: completeness flags, the caller's fields, then limit and syncToken. */
export function firstPageBody(
  endpoint: string,
  body: Record<string, unknown>,
  options: PagesOptions,
): Record<string, unknown> {
  const paging = listPaging(endpoint);
  if (options.syncToken !== undefined && paging !== 'sync') {
    throw new AshbyPagingUsageError(
      `${endpoint} does not support incremental sync (docs/ashby-api.md §2.3); call it without a sync token.`,
      endpoint,
    );
  }
  const out = options.completeness === false ? { ...body } : withCompletenessFlags(endpoint, body);
  if (paging !== 'single') {
    const limit = options.limit ?? MAX_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new AshbyPagingUsageError(
        `Page size ${limit} is out of range: Ashby accepts 1 to ${MAX_PAGE_SIZE} (docs/ashby-api.md §2.1).`,
        endpoint,
      );
    }
    out.limit = limit;
  }
  if (options.syncToken !== undefined) out.syncToken = options.syncToken;
  return out;
}

export async function* paginate<T>(
  fetch: EnvelopeFetcher,
  endpoint: string,
  body: Record<string, unknown>,
  options: PagesOptions,
  logger: Logger,
): AsyncGenerator<AshbyPage<T>, void, undefined> {
  const single = listPaging(endpoint) === 'single';
  const first = firstPageBody(endpoint, body, options);
  let cursor: string | undefined;
  for (let pageNumber = 1; ; pageNumber++) {
    let page: AshbyPage<T> | undefined = await fetchPage<T>(fetch, endpoint, first, cursor, pageNumber, options, {
      single,
      logger,
    });
    const more = page.moreDataAvailable;
    const next = page.nextCursor;
    yield page;
    // A suspended generator keeps its locals: drop the parsed page before the next one is
    // fetched, so that it can be collected as soon as the caller is done with it.
    // eslint-disable-next-line no-useless-assignment -- the assignment is the release
    page = undefined;
    if (!more) return;
    cursor = next;
  }
}

/** One page: fetched, its envelope checked. */
async function fetchPage<T>(
  fetch: EnvelopeFetcher,
  endpoint: string,
  first: Record<string, unknown>,
  cursor: string | undefined,
  pageNumber: number,
  options: PagesOptions,
  { single, logger }: { single: boolean; logger: Logger },
): Promise<AshbyPage<T>> {
  const request = cursor === undefined ? first : { ...first, cursor };
  let fetched: Awaited<ReturnType<EnvelopeFetcher>>;
  try {
    fetched = await fetch(endpoint, request, options.signal);
  } catch (err) {
    if (isRestartError(err)) Object.assign(err.details, { pageNumber, incremental: options.syncToken !== undefined });
    throw err;
  }
  const { envelope, requestId } = fetched;
  if (!Array.isArray(envelope.results)) {
    throw new AshbyInvalidResponseError('`results` of a list is not an array', { endpoint, requestId });
  }
  let more = envelope.moreDataAvailable === true;
  const next = typeof envelope.nextCursor === 'string' && envelope.nextCursor !== '' ? envelope.nextCursor : undefined;
  if (more && single) {
    // These endpoints accept no cursor (docs/ashby-api.md §2.3); a true flag cannot be followed.
    logger.warn('Ashby reported more data on an endpoint that does not page; keeping the single page', {
      endpoint,
      requestId,
    });
    more = false;
  }
  if (more && next === undefined)
    throw new AshbyInvalidResponseError('moreDataAvailable without nextCursor', { endpoint, requestId });
  if (more && next === cursor)
    throw new AshbyInvalidResponseError('the same nextCursor twice in a row', { endpoint, requestId });
  const syncToken = !more && typeof envelope.syncToken === 'string' ? envelope.syncToken : undefined;
  return {
    results: envelope.results as T[],
    ...(requestId ? { requestId } : {}),
    pageNumber,
    moreDataAvailable: more,
    ...(more ? { nextCursor: next } : {}),
    ...(syncToken !== undefined ? { syncToken } : {}),
  };
}
