/**
 * Form fields generated from the pipeline config schema (GET /schemas/pipeline): the label is
 * the config key, the help text the schema's description, the default and the constraints the
 * schema's; nothing here repeats them.
 */
export interface JsonSchema {
  type?: string;
  description?: string;
  default?: unknown;
  const?: unknown;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  minItems?: number;
  pattern?: string;
  required?: string[];
}

export type Value = string | number | boolean;

/** The literal choices of a union of constants (`mode: incremental | full_refresh`), if it is one. */
export function choices(s: JsonSchema): string[] | undefined {
  if (!s.anyOf || !s.anyOf.every((x) => x.const !== undefined)) return undefined;
  return s.anyOf.map((x) => String(x.const));
}

/** A duration: a string such as "15m" or a number of seconds. */
function isDuration(s: JsonSchema): boolean {
  return !!s.anyOf && s.anyOf.some((x) => x.type === 'string') && s.anyOf.some((x) => x.type === 'integer');
}

/** What the field's input holds, turned into the config's value. */
export function toValue(s: JsonSchema, raw: Value): Value {
  if (typeof raw !== 'string') return raw;
  if (s.type === 'integer' || s.type === 'number') return raw === '' ? raw : Number(raw);
  if (isDuration(s) && /^\d+$/.test(raw)) return Number(raw);
  return raw;
}

/**
 * A schema pattern as an HTML `pattern`, which must match the whole value: `^https?://` becomes
 * `^https?://.*`.
 */
export function htmlPattern(pattern: string): string {
  return `${pattern.startsWith('^') ? '' : '.*'}${pattern}${pattern.endsWith('$') ? '' : '.*'}`;
}

export function defaultOf(s: JsonSchema): Value {
  if (s.default !== undefined) return s.default as Value;
  return s.type === 'boolean' ? false : '';
}

export function SchemaField({
  id,
  label,
  schema,
  value,
  onChange,
}: {
  id: string;
  label: string;
  schema: JsonSchema;
  value: Value;
  onChange: (v: Value) => void;
}) {
  const help = schema.description ? (
    <p class="hint" id={`${id}-help`}>
      {schema.description}
    </p>
  ) : null;
  const described = schema.description ? `${id}-help` : undefined;
  const options = choices(schema);
  if (schema.type === 'boolean')
    return (
      <div class="field check">
        <input
          id={id}
          type="checkbox"
          checked={value === true}
          aria-describedby={described}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
        <label for={id}>{label}</label>
        {help}
      </div>
    );
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {options ? (
        <select
          id={id}
          value={String(value)}
          aria-describedby={described}
          onChange={(e) => onChange(e.currentTarget.value)}
        >
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          type="text"
          inputMode={schema.type === 'integer' || schema.type === 'number' ? 'decimal' : undefined}
          value={String(value)}
          aria-describedby={described}
          pattern={schema.pattern && schema.type === 'string' ? htmlPattern(schema.pattern) : undefined}
          required={!!schema.minLength}
          onInput={(e) => onChange(toValue(schema, e.currentTarget.value))}
        />
      )}
      {help}
    </div>
  );
}
