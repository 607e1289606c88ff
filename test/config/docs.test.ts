import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { CONFIG_DOCS_PATH, renderConfigDocs } from '../../src/config/docs.js';
import { PipelineConfigSchema } from '../../src/config/schema.js';

describe('docs/config.md', () => {
  it('matches the config schema (run `npm run docs` after changing src/config/schema.ts)', () => {
    expect(readFileSync(CONFIG_DOCS_PATH, 'utf8')).toBe(renderConfigDocs());
  });

  it('documents every key of every section', () => {
    const docs = renderConfigDocs();
    const walk = (node: { properties?: Record<string, unknown>; items?: unknown }, prefix: string): string[] =>
      Object.entries(node.properties ?? {}).flatMap(([k, v]) => {
        const path = prefix ? `${prefix}.${k}` : k;
        const child = v as {
          properties?: Record<string, unknown>;
          type?: string;
          items?: { properties?: Record<string, unknown> };
        };
        const nested = child.properties
          ? walk(child, path)
          : child.type === 'array' && child.items?.properties
            ? walk(child.items, `${path}[]`)
            : [];
        return [path, ...nested];
      });
    const sectionPaths = Object.entries(PipelineConfigSchema.properties).flatMap(([section, s]) =>
      walk(s as never, section),
    );
    expect(sectionPaths.length).toBeGreaterThan(40);
    for (const p of sectionPaths) expect(docs).toContain(`| \`${p}\` |`);
  });

  it('flags secret fields', () => {
    expect(renderConfigDocs()).toMatch(/\| `ashby\.api_key` \|[^\n]*\*\*Secret\*\*/);
  });
});
