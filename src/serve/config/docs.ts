import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { renderConfigDocs } from '../../config/docs.js';
import { PACKAGE_ROOT } from '../../package-info.js';
import { WorkerConfigSchema } from './schema.js';

/** Renders docs/serve-config.md from the worker schema (`npm run docs`; a test keeps them in sync). */
export const SERVE_CONFIG_DOCS_PATH = join(PACKAGE_ROOT, 'docs', 'serve-config.md');

export function renderWorkerConfigDocs(): string {
  return renderConfigDocs(WorkerConfigSchema as TSchema, [
    '# Worker configuration reference (`ashby-kafka serve`)',
    '',
    '<!-- Generated from src/serve/config/schema.ts by `npm run docs`. Do not edit by hand: a test fails when this file and the schema disagree. -->',
    '',
    'The file given to `ashby-kafka serve --config FILE` (YAML or JSON), with the same rules as pipeline files: errors name the path and',
    'the reason, and any string may use `${ENV_VAR}` (or `${ENV_VAR:-default}`). `kafka` and `schema_registry` are those of [pipelines](config.md);',
    'every pipeline of the worker group uses them. See [serve.md](serve.md) for a walk-through.',
    '',
  ]);
}
