import { ConfigError } from '../errors.js';

/**
 * `${VAR}` and `${VAR:-default}` interpolation in string values, applied after YAML/JSON
 * parsing so a variable's content can never change the document's structure. `$${` escapes.
 * A missing variable without a default is an error naming the config path, so a pipeline
 * never runs with an empty key by accident.
 */
const REFERENCE = /\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function interpolate(value: unknown, env: NodeJS.ProcessEnv, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(
      REFERENCE,
      (whole, escaped: string | undefined, name: string, fallback: string | undefined) => {
        if (escaped) return whole.slice(1);
        const found = env[name];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        throw new ConfigError(
          `${path || '(root)'}: environment variable ${name} is not set. Export it, or write \${${name}:-default}.`,
          {
            path,
            variable: name,
          },
        );
      },
    );
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolate(v, env, path ? `${path}.${k}` : k);
    return out;
  }
  return value;
}
