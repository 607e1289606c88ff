import { useMemo, useState } from 'preact/hooks';
import { parse, stringify } from 'yaml';
import { allows, ApiError, call, enc, type Catalog, type Credential } from './api';
import { catalog } from './catalog';
import { choices, defaultOf, SchemaField, toValue, type JsonSchema, type Value } from './schema-form';
import { describe, ErrorBox, useLoad } from './util';

/** The fields the form offers, in this order; always written: the first three of a source. */
const SOURCE_FIELDS = ['topic_prefix', 'mode', 'exactly_once', 'interval', 'key_format', 'concurrency'];
const SOURCE_ALWAYS = new Set(['topic_prefix', 'mode', 'exactly_once']);
const SINK_FIELDS = ['on_permission_error', 'value_format', 'dead_letter_topic', 'results_topic', 'dry_run'];

type Kind = 'source' | 'sink';

interface FormState {
  kind: Kind;
  name: string;
  credential: string;
  baseUrl: string;
  streams: string[];
  source: Record<string, Value>;
  sink: Record<string, Value>;
  topics: Array<{ topic: string; entity: string }>;
}

function section(schema: JsonSchema, kind: Kind): JsonSchema {
  return schema.properties?.[kind === 'source' ? 'source' : 'destination'] ?? {};
}

function initial(schema: JsonSchema): FormState {
  const defaults = (kind: Kind, fields: string[]) =>
    Object.fromEntries(fields.map((f) => [f, defaultOf(section(schema, kind).properties?.[f] ?? {})]));
  return {
    kind: 'source',
    name: '',
    credential: '',
    baseUrl: '',
    streams: [],
    source: defaults('source', SOURCE_FIELDS),
    sink: defaults('sink', SINK_FIELDS),
    topics: [{ topic: '', entity: 'candidate' }],
  };
}

/** The pipeline's config as POST /pipelines takes it (and as a pipeline file holds it). */
function toConfig(f: FormState, schema: JsonSchema): Record<string, unknown> {
  const props = section(schema, f.kind).properties ?? {};
  const pick = (values: Record<string, Value>, always: Set<string>) =>
    Object.fromEntries(
      Object.entries(values).filter(([k, v]) => always.has(k) || (v !== '' && v !== defaultOf(props[k] ?? {}))),
    );
  const ashby = { credential: f.credential, ...(f.baseUrl ? { base_url: f.baseUrl } : {}) };
  if (f.kind === 'source') return { ashby, source: { streams: f.streams, ...pick(f.source, SOURCE_ALWAYS) } };
  return { ashby, destination: { topics: f.topics, ...pick(f.sink, new Set()) } };
}

/** A pipeline file (YAML) back into the form; unknown keys are reported, not dropped silently. */
function fromConfig(raw: unknown, base: FormState, schema: JsonSchema): { form: FormState; ignored: string[] } {
  const c = (raw ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const ignored: string[] = [];
  const kind: Kind = c.destination ? 'sink' : 'source';
  const form: FormState = { ...base, kind };
  const ashby = c.ashby ?? {};
  if (typeof ashby.credential === 'string') form.credential = ashby.credential;
  if (typeof ashby.base_url === 'string') form.baseUrl = ashby.base_url;
  for (const k of Object.keys(ashby)) if (k !== 'credential' && k !== 'base_url') ignored.push(`ashby.${k}`);
  const sect = (kind === 'source' ? c.source : c.destination) ?? {};
  const fields = kind === 'source' ? SOURCE_FIELDS : SINK_FIELDS;
  const props = section(schema, kind).properties ?? {};
  const values = { ...(kind === 'source' ? base.source : base.sink) };
  for (const [k, v] of Object.entries(sect)) {
    if (kind === 'source' && k === 'streams') form.streams = Array.isArray(v) ? v.map(String) : [];
    else if (kind === 'sink' && k === 'topics' && Array.isArray(v))
      form.topics = v.map((t: { topic?: unknown; entity?: unknown }) => ({
        topic: String(t.topic ?? ''),
        entity: String(t.entity ?? ''),
      }));
    else if (fields.includes(k) && ['string', 'number', 'boolean'].includes(typeof v))
      values[k] = toValue(props[k] ?? {}, v as Value);
    else ignored.push(`${kind === 'source' ? 'source' : 'destination'}.${k}`);
  }
  if (kind === 'source') form.source = values;
  else form.sink = values;
  for (const k of Object.keys(c)) if (!['ashby', 'source', 'destination'].includes(k)) ignored.push(k);
  return { form, ignored };
}

function StreamPicker({
  cat,
  cred,
  chosen,
  onChange,
}: {
  cat: Catalog;
  cred: Credential | undefined;
  chosen: string[];
  onChange: (s: string[]) => void;
}) {
  return (
    <fieldset class="streams-picker">
      <legend>Streams</legend>
      {!cred && <p class="hint">Pick a credential first: streams its key cannot read are greyed out.</p>}
      <ul>
        {cat.streams.map((s) => {
          const ok = cred ? allows(cred, s.scope) !== false : true;
          const id = `stream-${s.name}`;
          return (
            <li key={s.name} class={ok ? '' : 'denied'} data-stream={s.name}>
              <input
                id={id}
                type="checkbox"
                disabled={!ok}
                checked={chosen.includes(s.name)}
                aria-describedby={ok ? undefined : `${id}-why`}
                onChange={(e) =>
                  onChange(e.currentTarget.checked ? [...chosen, s.name] : chosen.filter((x) => x !== s.name))
                }
              />
              <label for={id}>{s.name}</label>
              {!ok && (
                <span class="why" id={`${id}-why`}>
                  {' '}
                  — needs {s.scope}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

function Form({
  schema,
  cat,
  creds,
  created,
}: {
  schema: JsonSchema;
  cat: Catalog;
  creds: Credential[];
  created: () => void;
}) {
  const [f, setF] = useState<FormState>(() => initial(schema));
  const [error, setError] = useState<ApiError | string>();
  const [notice, setNotice] = useState<string>();
  const [yamlIn, setYamlIn] = useState('');
  const set = (patch: Partial<FormState>) => setF((old) => ({ ...old, ...patch }));
  const cred = creds.find((c) => c.name === f.credential);
  const config = toConfig(f, schema);
  const yaml = useMemo(() => stringify(config), [JSON.stringify(config)]);
  const props = section(schema, f.kind).properties ?? {};
  const entities = choices(section(schema, 'sink').properties?.topics?.items?.properties?.entity ?? {}) ?? [];
  const submit = (check: boolean) => {
    setError(undefined);
    setNotice(undefined);
    const done = check
      ? call('PUT', `/pipelines/${enc(f.name)}/validate`, { config }).then(() => setNotice('The config is valid.'))
      : call('POST', '/pipelines', { name: f.name, config }).then(created);
    done.catch((e: unknown) => setError(e instanceof ApiError ? e : describe(e)));
  };
  return (
    <div class="new-pipeline">
      <form
        aria-labelledby="new-heading"
        onSubmit={(e) => {
          e.preventDefault();
          submit(false);
        }}
      >
        <fieldset>
          <legend>Kind</legend>
          {(['source', 'sink'] as const).map((k) => (
            <span key={k} class="radio">
              <input
                id={`kind-${k}`}
                type="radio"
                name="kind"
                checked={f.kind === k}
                onChange={() => set({ kind: k })}
              />
              <label for={`kind-${k}`}>{k === 'source' ? 'Source (Ashby → Kafka)' : 'Sink (Kafka → Ashby)'}</label>
            </span>
          ))}
        </fieldset>
        <div class="field">
          <label for="p-name">name</label>
          <input id="p-name" required value={f.name} onInput={(e) => set({ name: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="p-credential">ashby.credential</label>
          <select
            id="p-credential"
            required
            value={f.credential}
            aria-describedby="p-credential-help"
            onChange={(e) => {
              const c = creds.find((x) => x.name === e.currentTarget.value);
              set({ credential: e.currentTarget.value, baseUrl: c?.base_url ?? '' });
            }}
          >
            <option value="">— choose —</option>
            {creds.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
          <p class="hint" id="p-credential-help">
            {schema.properties?.ashby?.properties?.credential?.description}
          </p>
        </div>
        <SchemaField
          id="p-base_url"
          label="ashby.base_url"
          schema={schema.properties?.ashby?.properties?.base_url ?? {}}
          value={f.baseUrl}
          onChange={(v) => set({ baseUrl: String(v) })}
        />
        {f.kind === 'source' ? (
          <>
            <StreamPicker cat={cat} cred={cred} chosen={f.streams} onChange={(streams) => set({ streams })} />
            {SOURCE_FIELDS.map((k) => (
              <SchemaField
                key={k}
                id={`source-${k}`}
                label={`source.${k}`}
                schema={props[k] ?? {}}
                value={f.source[k] ?? ''}
                onChange={(v) => set({ source: { ...f.source, [k]: v } })}
              />
            ))}
          </>
        ) : (
          <>
            <fieldset>
              <legend>destination.topics</legend>
              <p class="hint">{props.topics?.description}</p>
              {f.topics.map((t, i) => (
                <div class="row" key={i}>
                  <label for={`topic-${i}`}>topic</label>
                  <input
                    id={`topic-${i}`}
                    required
                    value={t.topic}
                    onInput={(e) =>
                      set({ topics: f.topics.map((x, j) => (j === i ? { ...x, topic: e.currentTarget.value } : x)) })
                    }
                  />
                  <label for={`entity-${i}`}>entity</label>
                  <select
                    id={`entity-${i}`}
                    value={t.entity}
                    onChange={(e) =>
                      set({ topics: f.topics.map((x, j) => (j === i ? { ...x, entity: e.currentTarget.value } : x)) })
                    }
                  >
                    {entities.map((x) => (
                      <option key={x}>{x}</option>
                    ))}
                  </select>
                  <button
                    type="button"
                    class="small secondary"
                    disabled={f.topics.length === 1}
                    onClick={() => set({ topics: f.topics.filter((_, j) => j !== i) })}
                  >
                    Remove
                  </button>
                </div>
              ))}
              <button
                type="button"
                class="small secondary"
                onClick={() => set({ topics: [...f.topics, { topic: '', entity: entities[0] ?? '' }] })}
              >
                Add a topic
              </button>
            </fieldset>
            {SINK_FIELDS.map((k) => (
              <SchemaField
                key={k}
                id={`sink-${k}`}
                label={`destination.${k}`}
                schema={props[k] ?? {}}
                value={f.sink[k] ?? ''}
                onChange={(v) => set({ sink: { ...f.sink, [k]: v } })}
              />
            ))}
          </>
        )}
        <div class="actions">
          <button type="button" class="secondary" onClick={() => submit(true)} disabled={!f.name}>
            Check
          </button>
          <button type="submit">Create pipeline</button>
        </div>
        <p class="notice" role="status">
          {notice ?? ''}
        </p>
        <ErrorBox
          error={typeof error === 'string' ? error : error ? `${error.code}: ${error.message}` : undefined}
          problems={typeof error === 'object' ? error.problems : undefined}
        />
      </form>
      <aside aria-labelledby="yaml-heading">
        <h2 id="yaml-heading">YAML</h2>
        <p class="hint">The same pipeline as a file, for git (the name is given to `pipelines create --name`).</p>
        <pre class="yaml" data-testid="yaml-preview" tabIndex={0}>
          {yaml}
        </pre>
        <label for="yaml-in">Import a pipeline file</label>
        <textarea id="yaml-in" rows={6} value={yamlIn} onInput={(e) => setYamlIn(e.currentTarget.value)} />
        <button
          type="button"
          class="secondary"
          onClick={() => {
            try {
              const { form, ignored } = fromConfig(parse(yamlIn), f, schema);
              setF(form);
              setError(undefined);
              setNotice(ignored.length ? `Imported; not in this form: ${ignored.join(', ')}` : 'Imported.');
            } catch (e) {
              setError(`YAML: ${describe(e)}`);
            }
          }}
        >
          Import
        </button>
      </aside>
    </div>
  );
}

export function NewPipelinePage({ created }: { created: () => void }) {
  const { data, error } = useLoad(() =>
    Promise.all([call<JsonSchema>('GET', '/schemas/pipeline'), catalog(), call<Credential[]>('GET', '/credentials')]),
  );
  return (
    <section>
      <h1 tabIndex={-1} id="new-heading">
        New pipeline
      </h1>
      <ErrorBox error={error} />
      {data && <Form schema={data[0]} cat={data[1]} creds={data[2]} created={created} />}
    </section>
  );
}
