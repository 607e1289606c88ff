import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { Logger } from '../log/logger.js';
import { AshbyError, type AshbyErrorOptions } from './errors.js';
import { RESULT_SCHEMAS } from './records/index.js';

/**
 * Checks Ashby records against our types without changing them. Ashby adds fields and enum
 * values over time; a pipeline must not stop or drop data because of that, so the default is
 * to pass every record through untouched and log each new kind of mismatch once ("warn").
 * "strict" (tests, `check` runs) turns a mismatch into an error.
 */
export type ValidationMode = 'off' | 'warn' | 'strict';

export interface RecordIssue {
  path: string;
  message: string;
}

/** A record does not have the shape the spec and our types promise. */
export class AshbyUnexpectedShapeError extends AshbyError {
  constructor(issues: RecordIssue[], options: AshbyErrorOptions = {}) {
    const list = issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ');
    super(
      'ASHBY_UNEXPECTED_SHAPE',
      `${options.endpoint ?? 'Ashby'} returned a record that does not match its documented shape (${list}). Ashby may have changed its API; set ashby validation to "warn" to pass such records through.`,
      { ...options, details: { issues, ...(options.details ?? {}) } },
    );
  }
}

const MAX_ISSUES = 5;
/** Distinct mismatch kinds remembered for warn-once; beyond this we keep warning rather than grow. */
const MAX_REMEMBERED = 1_000;

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checker(schema: TSchema): TypeCheck<TSchema> {
  let c = compiled.get(schema);
  if (!c) {
    c = TypeCompiler.Compile(schema);
    compiled.set(schema, c);
  }
  return c;
}

/** Mismatches of one value against a schema (at most a few; empty when it conforms). */
export function checkRecord(schema: TSchema, value: unknown): RecordIssue[] {
  const c = checker(schema);
  if (c.Check(value)) return [];
  const out: RecordIssue[] = [];
  for (const e of c.Errors(value)) {
    out.push({ path: e.path, message: e.message });
    if (out.length >= MAX_ISSUES) break;
  }
  return out;
}

export class RecordValidator {
  private readonly seen = new Set<string>();

  constructor(
    private readonly mode: ValidationMode,
    private readonly logger: Logger,
  ) {}

  /**
   * Returns `results` unchanged after checking it against the endpoint's record type (each item
   * for arrays). Throws AshbyUnexpectedShapeError only in strict mode.
   */
  check<T>(endpoint: string, results: unknown, requestId?: string): T {
    const schema = RESULT_SCHEMAS[endpoint];
    if (this.mode === 'off' || !schema) return results as T;
    const items = Array.isArray(results) ? results : [results];
    for (const item of items) {
      const issues = checkRecord(schema, item);
      if (issues.length === 0) continue;
      if (this.mode === 'strict') throw new AshbyUnexpectedShapeError(issues, { endpoint, requestId });
      const key = `${endpoint} ${issues.map((i) => i.path).join(',')}`;
      if (this.seen.has(key)) continue;
      if (this.seen.size < MAX_REMEMBERED) this.seen.add(key);
      this.logger.warn('Ashby record differs from its documented shape; passing it through unchanged', {
        endpoint,
        requestId,
        issues,
      });
    }
    return results as T;
  }
}
