import { call, type Catalog } from './api';

let cached: Promise<Catalog> | undefined;

/** GET /catalog, once per page load (it only changes with the worker's version). */
export function catalog(): Promise<Catalog> {
  cached ??= call<Catalog>('GET', '/catalog').catch((e: unknown) => {
    cached = undefined;
    throw e;
  });
  return cached;
}
