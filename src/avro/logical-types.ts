import avsc from 'avsc';

/**
 * The logical types of the contract. avsc knows none, so each is a LogicalType subclass that
 * converts between the JS value our code uses and the Avro value on the wire:
 *
 * | logicalType        | wire   | JS value                         |
 * |--------------------|--------|----------------------------------|
 * | `timestamp-millis` | long   | `Date`                           |
 * | `date`             | int    | `'YYYY-MM-DD'` string (no zone)  |
 * | `json`             | string | any JSON value except null       |
 *
 * `json` is ours, not the Avro spec's: other readers ignore unknown logical types and see the
 * JSON text as a plain string, which is what we want for free-form Ashby objects.
 *
 * `_toValue` returns undefined for a value it does not accept; avsc then reports the value as
 * invalid (isValid) or throws (encode), which serde turns into an error naming the field path.
 */
const MS_PER_DAY = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLogical(type: avsc.Type, name: string): boolean {
  return (type as { typeName?: string }).typeName === `logical:${name}`;
}

function identity<T>(v: T): T {
  return v;
}

export class TimestampMillisType extends avsc.types.LogicalType {
  protected override _fromValue(ms: number): Date {
    return new Date(ms);
  }

  protected override _toValue(value: unknown): number | undefined {
    if (value instanceof Date) {
      const ms = value.getTime();
      return Number.isNaN(ms) ? undefined : ms;
    }
    return undefined;
  }

  // Runs when a resolver is built (reader = this, writer = type). Writers that are already
  // timestamp-millis decode to Date themselves; plain long/int writers need the conversion.
  protected override _resolve(type: avsc.Type): ((v: never) => unknown) | undefined {
    if (isLogical(type, 'timestamp-millis')) return identity;
    if (avsc.Type.isType(type, 'long', 'int')) return (ms: number) => this._fromValue(ms);
    return undefined;
  }
}

/** Days since 1970-01-01 for a `YYYY-MM-DD` string, or undefined when it is not a real date. */
export function daysFromIsoDate(value: string): number | undefined {
  const m = DATE_RE.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2024-02-30 over to March; reject instead of silently changing the date.
  if (Number.isNaN(ms) || isoDateFromDays(ms / MS_PER_DAY) !== value) return undefined;
  return ms / MS_PER_DAY;
}

export function isoDateFromDays(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

export class DateType extends avsc.types.LogicalType {
  protected override _fromValue(days: number): string {
    return isoDateFromDays(days);
  }

  protected override _toValue(value: unknown): number | undefined {
    return typeof value === 'string' ? daysFromIsoDate(value) : undefined;
  }

  protected override _resolve(type: avsc.Type): ((v: never) => unknown) | undefined {
    if (isLogical(type, 'date')) return identity;
    if (avsc.Type.isType(type, 'int')) return (days: number) => this._fromValue(days);
    return undefined;
  }
}

export class JsonType extends avsc.types.LogicalType {
  protected override _fromValue(text: string): unknown {
    return JSON.parse(text);
  }

  protected override _toValue(value: unknown): string | undefined {
    // null is the union's null branch, never JSON "null": accepting it would make
    // ["null", json] ambiguous for avsc.
    if (value === null || value === undefined || typeof value === 'function' || typeof value === 'symbol')
      return undefined;
    return JSON.stringify(value);
  }

  protected override _resolve(type: avsc.Type): ((v: never) => unknown) | undefined {
    if (isLogical(type, 'json')) return identity;
    if (avsc.Type.isType(type, 'string')) return (text: string) => this._fromValue(text);
    return undefined;
  }
}

export const LOGICAL_TYPES = {
  'timestamp-millis': TimestampMillisType,
  date: DateType,
  json: JsonType,
} as const;
