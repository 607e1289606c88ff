import { INTERVALS as COMPENSATION_INTERVALS } from '../../ashby/records/common.js';
import type { CustomFieldDefinitionModel } from '../data/forms.js';
import type { ApplicationModel, CandidateModel, CustomFieldEntry, JobModel, OpeningModel } from '../data/models.js';
import { optEnum, reqId, type Body } from '../http/params.js';
import type { Handler, RequestContext } from '../http/request-context.js';
import { type AshbyWireError, invalidInput, notFound } from '../http/wire-error.js';
import type { EntityName } from '../store/entities.js';
import { applicationView } from '../views/applications.js';
import { FULL_VIEWER, ViewContext } from '../views/context.js';
import { jobView } from '../views/jobs.js';

/**
 * customField.setValue / setValues: validate each value against its definition's field type
 * (docs/ashby-api.md §5.2), then write them all or none.
 */

const OBJECT_TYPES = ['Application', 'Candidate', 'Job', 'Opening'] as const;
type ObjectType = (typeof OBJECT_TYPES)[number];
const ENTITY_OF: Record<ObjectType, EntityName> = {
  Application: 'application',
  Candidate: 'candidate',
  Job: 'job',
  Opening: 'opening',
};
const INTERVALS: readonly string[] = COMPENSATION_INTERVALS;

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isCurrencyCode(v: unknown): boolean {
  return typeof v === 'string' && /^[A-Z]{3}$/.test(v);
}

/** The value to store for `raw`, or an invalid_input naming what the field type needs. Null clears. */
export function checkFieldValue(def: CustomFieldDefinitionModel, raw: unknown, label: string): unknown {
  if (raw === null) return null;
  const bad = (need: string): AshbyWireError =>
    invalidInput(`${label} is a ${def.fieldType} field "${def.title}": ${need}`);
  const options = def.selectableValues?.filter((o) => !o.isArchived).map((o) => o.value) ?? [];
  switch (def.fieldType) {
    case 'Boolean':
      if (typeof raw !== 'boolean') throw bad('send true or false');
      return raw;
    case 'String':
    case 'LongText':
      if (typeof raw !== 'string') throw bad('send a string');
      return raw;
    case 'Number':
      if (!isNum(raw)) throw bad('send a number');
      return raw;
    case 'Date': {
      if (typeof raw !== 'string' || Number.isNaN(Date.parse(raw))) throw bad('send an ISO date such as 2026-07-01');
      return new Date(Date.parse(raw)).toISOString();
    }
    case 'ValueSelect':
      if (typeof raw !== 'string' || !options.includes(raw)) throw bad(`send one of ${options.join(', ')}`);
      return raw;
    case 'MultiValueSelect':
      if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string' || !options.includes(v)))
        throw bad(`send an array of ${options.join(', ')}`);
      return raw;
    case 'Currency': {
      const v = raw as { value?: unknown; currencyCode?: unknown };
      if (typeof raw !== 'object' || !isNum(v.value) || !isCurrencyCode(v.currencyCode))
        throw bad('send {value: number, currencyCode: ISO 4217 code}');
      return { value: v.value, currencyCode: v.currencyCode };
    }
    case 'NumberRange': {
      const v = raw as { type?: unknown; minValue?: unknown; maxValue?: unknown };
      if (
        typeof raw !== 'object' ||
        v.type !== 'number-range' ||
        !isNum(v.minValue) ||
        !isNum(v.maxValue) ||
        v.minValue > v.maxValue
      ) {
        throw bad('send {type: "number-range", minValue, maxValue} with minValue <= maxValue');
      }
      return { type: 'number-range', minValue: v.minValue, maxValue: v.maxValue };
    }
    case 'CompensationRange': {
      const v = raw as {
        type?: unknown;
        minValue?: unknown;
        maxValue?: unknown;
        currencyCode?: unknown;
        interval?: unknown;
      };
      if (
        typeof raw !== 'object' ||
        v.type !== 'compensation-range' ||
        !isNum(v.minValue) ||
        !isNum(v.maxValue) ||
        v.minValue > v.maxValue ||
        !isCurrencyCode(v.currencyCode) ||
        !INTERVALS.includes(v.interval as string)
      ) {
        throw bad('send {type: "compensation-range", minValue, maxValue, currencyCode, interval}');
      }
      return {
        type: 'compensation-range',
        minValue: v.minValue,
        maxValue: v.maxValue,
        currencyCode: v.currencyCode,
        interval: v.interval,
      };
    }
  }
}

function applyEntries(entries: CustomFieldEntry[], updates: readonly { fieldId: string; value: unknown }[]): void {
  for (const u of updates) {
    const at = entries.findIndex((e) => e.fieldId === u.fieldId);
    if (u.value === null) {
      if (at >= 0) entries.splice(at, 1);
    } else if (at >= 0) entries[at] = { fieldId: u.fieldId, value: u.value };
    else entries.push({ fieldId: u.fieldId, value: u.value });
  }
}

function setValues(ctx: RequestContext, body: Body, items: { fieldId: unknown; fieldValue: unknown }[]): unknown[] {
  const objectType = optEnum(body, 'objectType', OBJECT_TYPES);
  if (!objectType) throw invalidInput(`objectType is required: one of ${OBJECT_TYPES.join(', ')}`);
  const objectId = reqId(body, 'objectId');
  const entity = ENTITY_OF[objectType];
  const { store } = ctx.core;
  const target = store.get<Record<string, unknown>>(entity, objectId);
  const visible =
    target !== undefined &&
    (entity === 'application'
      ? ctx.view.jobVisible((target as unknown as ApplicationModel).jobId)
      : entity === 'job'
        ? ctx.view.jobVisible(objectId)
        : entity === 'candidate'
          ? ctx.view.candidateVisible(target as unknown as CandidateModel)
          : true);
  if (!visible) throw notFound(entity, objectId);
  const updates = items.map((item, i) => {
    const label = items.length > 1 ? `values[${i}]` : 'fieldValue';
    const fieldId = reqId({ fieldId: item.fieldId }, 'fieldId');
    const def = store.get<CustomFieldDefinitionModel>('customField', fieldId);
    if (!def) throw notFound('customField', fieldId);
    if (def.objectType !== objectType)
      throw invalidInput(`custom field "${def.title}" belongs to ${def.objectType} records, not ${objectType}`);
    if (def.isArchived) throw invalidInput(`custom field "${def.title}" is archived`);
    return { fieldId, value: checkFieldValue(def, item.fieldValue, label), def };
  });
  const now = new Date(ctx.core.clock.stamp()).toISOString();
  const updated = store.update<Record<string, unknown>>(entity, objectId, (draft) => {
    const entries =
      entity === 'opening'
        ? (draft as unknown as OpeningModel).latestVersion.customFields
        : (draft.customFields as CustomFieldEntry[]);
    applyEntries(entries, updates);
    draft.updatedAt = now;
  })!;
  const full = new ViewContext(store, FULL_VIEWER);
  if (entity === 'application')
    ctx.events.push({
      action: 'applicationUpdate',
      data: { application: applicationView(updated as unknown as ApplicationModel, full) },
    });
  if (entity === 'job')
    ctx.events.push({ action: 'jobUpdate', data: { job: jobView(updated as unknown as JobModel, full) } });
  return updates.map((u) => ({
    id: u.def.id,
    isPrivate: u.def.isPrivate,
    title: u.def.title,
    ...(u.value !== null
      ? (ctx.view.customFields([{ fieldId: u.fieldId, value: u.value }], true)[0] as object)
      : { value: null }),
  }));
}

export const CUSTOM_FIELD_HANDLERS: Record<string, Handler> = {
  'customField.setValue': (ctx) => {
    if (!('fieldValue' in ctx.body)) throw invalidInput('fieldValue is required (null clears the value)');
    return { results: setValues(ctx, ctx.body, [{ fieldId: ctx.body.fieldId, fieldValue: ctx.body.fieldValue }])[0] };
  },
  'customField.setValues': (ctx) => {
    const values = ctx.body.values;
    if (!Array.isArray(values) || values.length === 0)
      throw invalidInput('values must be a non-empty array of {fieldId, fieldValue}');
    const items = values.map((v, i) => {
      if (!v || typeof v !== 'object' || !('fieldValue' in v))
        throw invalidInput(`values[${i}] must be {fieldId, fieldValue}`);
      return v as { fieldId: unknown; fieldValue: unknown };
    });
    const ids = items.map((i) => i.fieldId);
    if (new Set(ids).size !== ids.length) throw invalidInput('values names the same field twice');
    return { results: setValues(ctx, ctx.body, items) };
  },
};
