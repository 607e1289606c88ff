import { PERMISSION_MODULES, permissionFor } from '../../ashby/index.js';
import { PipelineConfigSchema } from '../../config/schema.js';
import { DEFAULT_CATALOG } from '../../source/catalog.js';
import { OPERATIONS, stepsOf } from '../../sink/operations/catalog.js';

/**
 * What `GET /catalog` and `GET /schemas/pipeline` answer: the data a client (the web console,
 * a script) needs to build a pipeline without reading the source. Everything is derived from
 * the declarations that the pipelines themselves run on (the stream catalog, the sink's
 * operations, the endpoint → permission table and the config schema), so it cannot drift.
 */
export interface CatalogView {
  modules: Array<{ key: string; label: string }>;
  streams: Array<{
    name: string;
    module: string | null;
    scope: string | null;
    enabled_by_default: boolean;
    parent: string | null;
    sync_modes: string[];
    note?: string;
  }>;
  commands: Array<{ entity: string; operation: string; scopes: string[] }>;
}

export function catalogView(): CatalogView {
  return {
    modules: PERMISSION_MODULES.map((m) => ({ key: m.key, label: m.label })),
    streams: DEFAULT_CATALOG.all().map((s) => ({
      name: s.name,
      module: s.module ?? null,
      scope: s.scope ?? null,
      enabled_by_default: s.enabledByDefault,
      parent: s.parent?.stream ?? null,
      sync_modes: s.syncModes,
      ...(s.note ? { note: s.note } : {}),
    })),
    commands: OPERATIONS.map((op) => ({
      entity: op.entity,
      operation: op.operation,
      scopes: [
        ...new Set(
          stepsOf(op)
            .map((step) => permissionFor(step.endpoint)?.scope)
            .filter((s): s is string => s !== undefined),
        ),
      ].sort(),
    })),
  };
}

/** The pipeline config schema as plain JSON Schema (TypeBox's symbol keys are dropped). */
export function pipelineSchemaView(): unknown {
  return JSON.parse(JSON.stringify(PipelineConfigSchema)) as unknown;
}
