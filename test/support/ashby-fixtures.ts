import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's own fixtures about Ashby (test/fixtures/ashby, see its README): the copy of
 * Ashby's OpenAPI document the sandbox, the permission table and the Avro contract are checked
 * against, and anonymised recordings of real Ashby exchanges.
 */
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ashby');

/** Ashby's OpenAPI 3.1 document, as published with Ashby's developer documentation. */
export const OPENAPI_PATH = join(FIXTURES, 'openapi.yml');

/** Anonymised recordings of real Ashby request/response pairs, one JSON array per file. */
export const RECORDED_DIR = join(FIXTURES, 'recorded');
