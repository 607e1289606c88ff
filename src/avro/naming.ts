/**
 * Names, namespaces and reserved field names of the contract. Changing any value here renames
 * a type or a field in schemas/, which is a breaking change for every consumer: do it only
 * with a new namespace version (io.ashbykafka.v2).
 */
export const NAMESPACE = 'io.ashbykafka.v1';
export const COMMAND_NAMESPACE = 'io.ashbykafka.v1.command';

/** The catch-all field every generated record ends with (docs/avro.md "Unknown fields"). */
export const CATCH_ALL_FIELD = 'additionalProperties';
/** Key inside a catch-all listing fields that were absent although Ashby normally sends null. */
export const ABSENT_KEY = '$absent';

/** Field attributes the mapping reads; other Avro readers ignore them. */
export const ATTR_JSON_NAME = 'ashby.name';
export const ATTR_UNSET = 'ashby.unset';
export const ATTR_OPERATIONS = 'ashby.operations';
export const ATTR_REQUIRED_FOR = 'ashby.requiredFor';

const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isAvroName(name: string): boolean {
  return AVRO_NAME.test(name);
}

/** A valid Avro field name for a JSON key (Ashby's keys are camelCase, so this rarely changes anything). */
export function avroFieldName(jsonName: string): string {
  if (isAvroName(jsonName)) return jsonName;
  const cleaned = jsonName.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

export function pascalCase(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''));
  return cleaned.charAt(0).toUpperCase() + cleaned.slice(1);
}

/** Singular for array item types: `emailAddresses` → `EmailAddress`, `hiringTeam` stays. */
export function singular(name: string): string {
  if (/ies$/.test(name)) return name.replace(/ies$/, 'y');
  if (/(ss|sh|ch|x)es$/.test(name)) return name.replace(/es$/, '');
  if (/[^s]s$/.test(name)) return name.slice(0, -1);
  return name;
}
