import { iso } from '../clock.js';
import { Kind } from '../data/ids.js';
import { CF, OFFER_PATHS, generateCustomField, offerForm } from '../data/forms.js';
import type {
  ApprovalModel,
  CustomFieldEntry,
  OfferModel,
  OfferProcessModel,
  OfferVersionModel,
  OpeningModel,
} from '../data/models.js';
import { VERSION_SLOTS } from '../data/offers.js';
import { fileHandle } from '../data/candidates.js';
import { optBool, optEnum, optId, optString, reqId, type Body } from '../http/params.js';
import type { Handler, RequestContext } from '../http/request-context.js';
import { AshbyWireError, invalidInput, notFound } from '../http/wire-error.js';
import { FULL_VIEWER, ViewContext } from '../views/context.js';
import { offerProcessView, offerView } from '../views/offers.js';
import { actorId } from './candidate-writes.js';
import { checkFieldValue } from './custom-fields.js';
import { visibleApplication } from './candidate-lists.js';

/**
 * The offer flow (docs/ashby-api.md §5.6): offerProcess.start → offer.start → offer.create →
 * offer.startApprovalProcess → offer.approve, plus offer.update (a new version, approvals start
 * over) and offer.setStatus (the candidate's answer).
 */

const TERMINAL_OFFER = ['CandidateAccepted', 'CandidateRejected', 'OfferCancelled'];
const SETTABLE_ACCEPTANCE = ['Accepted', 'Declined', 'Cancelled', 'WaitingOnResponse', 'Pending'] as const;

function visibleOffer(ctx: RequestContext, id: string): OfferModel {
  const offer = ctx.core.store.get<OfferModel>('offer', id);
  if (!offer || !ctx.view.applicationVisible(offer.applicationId)) throw notFound('offer', id);
  return offer;
}

function offerOfVersion(ctx: RequestContext, versionId: string): OfferModel {
  const { world, store } = ctx.core;
  const index = world.ids.indexOf(Kind.OfferVersion, versionId);
  const owner =
    store.linked('versionOwner', versionId)[0] ??
    (index !== undefined && index < 2 ** 39 ? world.id(Kind.Offer, Math.floor(index / VERSION_SLOTS)) : undefined);
  const offer = owner ? store.get<OfferModel>('offer', owner) : undefined;
  if (!offer || !offer.versions.some((v) => v.id === versionId) || !ctx.view.applicationVisible(offer.applicationId))
    throw notFound('offerVersion', versionId);
  return offer;
}

function respond(ctx: RequestContext, offer: OfferModel, action: 'offerCreate' | 'offerUpdate') {
  ctx.events.push({
    action,
    data: {
      offer: offerView(offer, new ViewContext(ctx.core.store, FULL_VIEWER), { versions: true, formDefinition: false }),
    },
  });
  return {
    results: offerView(offer, ctx.view, {
      versions: true,
      formDefinition: optBool(ctx.body, 'excludeFormDefinition') !== true,
    }),
  };
}

/** Reads `offerForm.fieldSubmissions` against the offer form, starting from `base` (offer.update keeps what it does not resubmit). */
function versionFromForm(ctx: RequestContext, body: Body, base: OfferVersionModel | undefined): OfferVersionModel {
  const form = body.offerForm as { fieldSubmissions?: unknown } | undefined;
  if (!form || typeof form !== 'object' || !Array.isArray(form.fieldSubmissions))
    throw invalidInput('offerForm must be {fieldSubmissions: [{path, value}]}');
  const fields = offerForm(ctx.core.world).sections.flatMap((s) => s.fields);
  const values = new Map<string, unknown>();
  form.fieldSubmissions.forEach((f, i) => {
    const sub = f as { path?: unknown; value?: unknown };
    if (!sub || typeof sub.path !== 'string' || !('value' in sub))
      throw invalidInput(`offerForm.fieldSubmissions[${i}] must be {path, value}`);
    if (!fields.some((fd) => fd.field.path === sub.path))
      throw invalidInput(`offerForm.fieldSubmissions[${i}].path "${sub.path}" is not a field of the offer form`);
    values.set(sub.path, sub.value);
  });
  const has = (path: string): boolean => values.has(path) && values.get(path) !== null;
  for (const fd of fields) {
    const kept =
      fd.field.path === OFFER_PATHS.startDate
        ? base?.startDate
        : fd.field.path === OFFER_PATHS.salary
          ? base?.salary
          : 'n/a';
    if (fd.isRequired && !has(fd.field.path) && kept === undefined)
      throw invalidInput(`offerForm is missing the required field "${fd.field.title}" (${fd.field.path})`);
  }
  const version: OfferVersionModel = {
    id: ctx.core.store.newId(Kind.OfferVersion),
    createdAt: iso(ctx.core.clock.stamp()),
    ...(base?.startDate ? { startDate: base.startDate } : {}),
    ...(base?.salary ? { salary: base.salary } : {}),
    ...(base?.openingId ? { openingId: base.openingId } : {}),
    customFields: structuredClone(base?.customFields ?? []),
    fileHandles: [],
    authorId: actorId(ctx),
    approvalStatus: null,
  };
  if (has(OFFER_PATHS.startDate)) {
    const v = values.get(OFFER_PATHS.startDate);
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v)))
      throw invalidInput('Start Date must be a date such as 2026-12-01');
    version.startDate = new Date(Date.parse(v)).toISOString();
  }
  if (has(OFFER_PATHS.salary)) {
    const v = values.get(OFFER_PATHS.salary) as { currencyCode?: unknown; value?: unknown };
    if (
      !v ||
      typeof v !== 'object' ||
      typeof v.currencyCode !== 'string' ||
      !/^[A-Z]{3}$/.test(v.currencyCode) ||
      !Number.isInteger(v.value)
    ) {
      throw invalidInput('Base Salary must be {currencyCode: ISO 4217 code, value: integer}');
    }
    version.salary = { currencyCode: v.currencyCode, value: v.value as number };
  }
  if (has(OFFER_PATHS.opening)) {
    const openingId = optId({ opening: values.get(OFFER_PATHS.opening) }, 'opening')!;
    const opening = ctx.core.store.get<OpeningModel>('opening', openingId);
    if (!opening) throw notFound('opening', openingId);
    // Documented offer.create errors (docs/ashby-api.md §1.6): a filled opening is in use; only open or approved openings take offers.
    if (opening.openingState === 'Filled')
      throw new AshbyWireError('opening_in_use', `Opening ${opening.latestVersion.identifier} is already filled.`);
    if (opening.openingState !== 'Open' && opening.openingState !== 'Approved')
      throw new AshbyWireError(
        'opening_state_invalid',
        `Opening ${opening.latestVersion.identifier} is ${opening.openingState}; offers need an Open or Approved opening.`,
      );
    version.openingId = openingId;
  }
  if (has(OFFER_PATHS.notes) && typeof values.get(OFFER_PATHS.notes) !== 'string')
    throw invalidInput('Notes must be a string');
  const bonusId = ctx.core.world.id(Kind.CustomField, CF.SigningBonus);
  if (values.has(bonusId)) {
    const value = checkFieldValue(
      generateCustomField(ctx.core.world, CF.SigningBonus)!,
      values.get(bonusId),
      'Signing Bonus',
    );
    version.customFields = version.customFields.filter((e: CustomFieldEntry) => e.fieldId !== bonusId);
    if (value !== null) version.customFields.push({ fieldId: bonusId, value });
  }
  return version;
}

function processOf(ctx: RequestContext): OfferProcessModel {
  const id = reqId(ctx.body, 'offerProcessId');
  const process = ctx.core.store.get<OfferProcessModel>('offerProcess', id);
  if (!process || !ctx.view.applicationVisible(process.applicationId)) throw notFound('offerProcess', id);
  return process;
}

export const OFFER_WRITE_HANDLERS: Record<string, Handler> = {
  'offerProcess.start': (ctx) => {
    const app = visibleApplication(ctx, reqId(ctx.body, 'applicationId'));
    const { store } = ctx.core;
    const processIds = [
      ...app.offerIds.map((id) => store.get<OfferModel>('offer', id)?.offerProcessId),
      ...store.linked('offerProcess', app.id),
    ];
    const open = processIds
      .map((id) => (id ? store.get<OfferProcessModel>('offerProcess', id) : undefined))
      .find((p) => p && !TERMINAL_OFFER.includes(p.status));
    if (open)
      throw invalidInput(
        `Application already has an offer process in progress (${open.id}); use offer.start on it to make a new version`,
      );
    const now = iso(ctx.core.clock.stamp());
    const process: OfferProcessModel = {
      id: store.allocateId('offerProcess'),
      applicationId: app.id,
      status: 'WaitingOnOfferCreation',
      createdAt: now,
      updatedAt: now,
    };
    store.insert('offerProcess', process as unknown as { id: string });
    store.link('offerProcess', app.id, process.id);
    return { results: offerProcessView(process) };
  },

  'offer.start': (ctx) => {
    const process = processOf(ctx);
    if (TERMINAL_OFFER.includes(process.status))
      throw invalidInput(`The offer process is finished (${process.status}); start a new one with offerProcess.start`);
    const formId = ctx.core.store.newId(Kind.OfferForm);
    const now = iso(ctx.core.clock.stamp());
    ctx.core.store.update<OfferProcessModel>('offerProcess', process.id, (p) => {
      p.pendingFormId = formId;
      p.updatedAt = now;
    });
    return { results: { id: formId, formDefinition: offerForm(ctx.core.world) } };
  },

  'offer.create': (ctx) => {
    const process = processOf(ctx);
    const formId = reqId(ctx.body, 'offerFormId');
    if (process.pendingFormId !== formId)
      throw invalidInput(
        'offerFormId must be the id offer.start returned for this offer process (call offer.start first)',
      );
    const { store } = ctx.core;
    const existing = process.offerId ? store.get<OfferModel>('offer', process.offerId) : undefined;
    const version = versionFromForm(ctx, ctx.body, undefined);
    const now = version.createdAt;
    let offer: OfferModel;
    if (existing) {
      // A new version of an offer in progress (docs/ashby-api.md §5.6): approvals start over.
      offer = store.update<OfferModel>('offer', existing.id, (o) => {
        o.versions.push(version);
        o.offerStatus = 'WaitingOnApprovalStart';
        o.acceptanceStatus = 'Created';
        o.updatedAt = now;
      })!;
    } else {
      offer = {
        id: store.allocateId('offer'),
        applicationId: process.applicationId,
        offerProcessId: process.id,
        acceptanceStatus: 'Created',
        offerStatus: 'WaitingOnApprovalStart',
        decidedAt: null,
        createdAt: now,
        updatedAt: now,
        versions: [version],
      };
      store.insert('offer', offer as unknown as { id: string });
      store.link('offer', process.applicationId, offer.id);
    }
    store.link('versionOwner', version.id, offer.id);
    store.update<OfferProcessModel>('offerProcess', process.id, (p) => {
      p.offerId = offer.id;
      p.status = 'WaitingOnApprovalStart';
      delete p.pendingFormId;
      p.updatedAt = now;
    });
    return respond(ctx, offer, existing ? 'offerUpdate' : 'offerCreate');
  },

  'offer.update': (ctx) => {
    const offer = visibleOffer(ctx, reqId(ctx.body, 'offerId'));
    if (TERMINAL_OFFER.includes(offer.offerStatus))
      throw invalidInput(`The offer is ${offer.offerStatus} and can no longer change`);
    const version = versionFromForm(ctx, ctx.body, offer.versions[offer.versions.length - 1]);
    const updated = ctx.core.store.update<OfferModel>('offer', offer.id, (o) => {
      o.versions.push(version);
      o.offerStatus = 'WaitingOnApprovalStart';
      o.acceptanceStatus = 'Created';
      delete o.approvalId;
      o.updatedAt = version.createdAt;
    })!;
    ctx.core.store.link('versionOwner', version.id, offer.id);
    return respond(ctx, updated, 'offerUpdate');
  },

  'offer.startApprovalProcess': (ctx) => {
    const versionId = reqId(ctx.body, 'offerVersionId');
    optString(ctx.body, 'note');
    const offer = offerOfVersion(ctx, versionId);
    if (offer.versions[offer.versions.length - 1]!.id !== versionId)
      throw invalidInput('Only the latest offer version can go to approval');
    if (offer.offerStatus !== 'WaitingOnApprovalStart')
      throw invalidInput(`The offer is ${offer.offerStatus}; approval can only start from WaitingOnApprovalStart`);
    const { store, world } = ctx.core;
    const now = iso(ctx.core.clock.stamp());
    const approval: ApprovalModel = {
      id: store.allocateId('approval'),
      approvalDefinitionId: world.id(Kind.Approval, 2 ** 38 + 1),
      entityId: versionId,
      entityType: 'offer',
      offerId: offer.id,
      createdAt: now,
      updatedAt: now,
      submittedAt: now,
      steps: [0, 1].map((s) => ({
        id: store.newId(Kind.ApprovalStep),
        approvalsRequired: 1,
        approvers: [
          {
            id: store.newId(Kind.Approver),
            userId: world.id(Kind.User, s),
            decision: 'pending' as const,
            requestedAt: now,
          },
        ],
      })),
    };
    store.insert('approval', approval as unknown as { id: string });
    const updated = store.update<OfferModel>('offer', offer.id, (o) => {
      o.versions[o.versions.length - 1]!.approvalStatus = 'WaitingOnApprovals';
      o.offerStatus = 'WaitingOnOfferApproval';
      o.acceptanceStatus = 'Pending';
      o.approvalId = approval.id;
      o.updatedAt = now;
    })!;
    store.update<OfferProcessModel>(
      'offerProcess',
      offer.offerProcessId,
      (p) => void (p.status = 'WaitingOnOfferApproval'),
    );
    return respond(ctx, updated, 'offerUpdate');
  },

  'offer.approve': (ctx) => {
    const versionId = reqId(ctx.body, 'offerVersionId');
    const stepId = optId(ctx.body, 'approvalStepId');
    const userId = optId(ctx.body, 'userId');
    if (stepId && !userId) throw invalidInput('approvalStepId needs userId: the approver approving that step');
    const offer = offerOfVersion(ctx, versionId);
    if (offer.versions[offer.versions.length - 1]!.id !== versionId)
      throw invalidInput('Only the latest offer version can be approved');
    if (offer.offerStatus !== 'WaitingOnOfferApproval' || !offer.approvalId)
      throw invalidInput(`The offer is ${offer.offerStatus}; start its approval with offer.startApprovalProcess first`);
    const { store } = ctx.core;
    const now = iso(ctx.core.clock.stamp());
    const approval = store.update<ApprovalModel>('approval', offer.approvalId, (a) => {
      const pending = a.steps.filter((s) => !s.completedAt);
      const targets = stepId ? pending.slice(0, 1) : pending;
      if (stepId) {
        const current = targets[0];
        if (!current || current.id !== stepId)
          throw invalidInput(`Approval step ${stepId} is not the current step of this offer's approval`);
        const approver = current.approvers.find((p) => p.userId === userId);
        if (!approver) throw invalidInput(`User ${userId} is not an approver of the current approval step`);
      }
      for (const step of targets) {
        for (const approver of step.approvers) {
          if (!userId || !stepId || approver.userId === userId) {
            approver.decision = 'approve';
            approver.decidedAt = now;
          }
        }
        step.completedAt = now;
      }
      if (a.steps.every((s) => s.completedAt)) a.completedAt = now;
      a.updatedAt = now;
    })!;
    const done = approval.completedAt !== undefined;
    const updated = store.update<OfferModel>('offer', offer.id, (o) => {
      if (done) {
        const latest = o.versions[o.versions.length - 1]!;
        latest.approvalStatus = 'Approved';
        latest.fileHandles = [
          fileHandle(ctx.core.world, 2 ** 37 + store.seq, o.id, 'Offer_Letter.pdf', 'CandidateFile'),
        ];
        o.offerStatus = 'WaitingOnCandidateResponse';
        o.acceptanceStatus = 'WaitingOnResponse';
      }
      o.updatedAt = now;
    })!;
    if (done)
      store.update<OfferProcessModel>(
        'offerProcess',
        offer.offerProcessId,
        (p) => void (p.status = 'WaitingOnCandidateResponse'),
      );
    return respond(ctx, updated, 'offerUpdate');
  },

  'offer.setStatus': (ctx) => {
    const offer = visibleOffer(ctx, reqId(ctx.body, 'offerId'));
    const status = optEnum(ctx.body, 'acceptanceStatus', SETTABLE_ACCEPTANCE);
    if (!status) throw invalidInput(`acceptanceStatus is required: one of ${SETTABLE_ACCEPTANCE.join(', ')}`);
    if (TERMINAL_OFFER.includes(offer.offerStatus))
      throw invalidInput(`The offer is ${offer.offerStatus} and can no longer change`);
    if ((status === 'Accepted' || status === 'Declined') && offer.offerStatus !== 'WaitingOnCandidateResponse') {
      throw invalidInput(`The offer is ${offer.offerStatus}; a candidate can only accept or decline an approved offer`);
    }
    const offerStatus = {
      Accepted: 'CandidateAccepted',
      Declined: 'CandidateRejected',
      Cancelled: 'OfferCancelled',
      WaitingOnResponse: 'WaitingOnCandidateResponse',
      Pending: offer.offerStatus,
    }[status];
    const now = iso(ctx.core.clock.stamp());
    const updated = ctx.core.store.update<OfferModel>('offer', offer.id, (o) => {
      o.acceptanceStatus = status;
      o.offerStatus = offerStatus;
      if (status === 'Accepted' || status === 'Declined') o.decidedAt = now;
      o.updatedAt = now;
    })!;
    ctx.core.store.update<OfferProcessModel>(
      'offerProcess',
      offer.offerProcessId,
      (p) => void (p.status = offerStatus),
    );
    return respond(ctx, updated, 'offerUpdate');
  },
};
