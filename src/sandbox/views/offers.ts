import { offerForm } from '../data/forms.js';
import type { ApprovalModel, OfferModel, OfferProcessModel, OfferVersionModel } from '../data/models.js';
import type { ViewContext } from './context.js';

/** Wire shapes of offers, offer processes and approvals (docs/ashby-api.md §5.6; no recorded sample exists, so the spec governs). */

function versionView(v: OfferVersionModel, ctx: ViewContext): Record<string, unknown> {
  const author = ctx.user(v.authorId);
  return {
    id: v.id,
    ...(v.startDate !== undefined ? { startDate: v.startDate } : {}),
    ...(v.salary !== undefined ? { salary: v.salary } : {}),
    createdAt: v.createdAt,
    ...(v.openingId !== undefined ? { openingId: v.openingId } : {}),
    // Offers are the one place private custom fields are readable without the private-fields option.
    customFields: ctx.customFields(v.customFields, true),
    fileHandles: v.fileHandles,
    ...(author ? { author } : {}),
    approvalStatus: v.approvalStatus,
  };
}

export interface OfferViewOptions {
  versions: boolean;
  formDefinition: boolean;
}

export function offerView(
  o: OfferModel,
  ctx: ViewContext,
  options: OfferViewOptions = { versions: false, formDefinition: false },
): Record<string, unknown> {
  const latest = o.versions[o.versions.length - 1];
  const out: Record<string, unknown> = {
    id: o.id,
    // The spec types decidedAt as a plain string, so an undecided offer omits it rather than sending null.
    ...(o.decidedAt !== null ? { decidedAt: o.decidedAt } : {}),
    applicationId: o.applicationId,
    acceptanceStatus: o.acceptanceStatus,
    offerStatus: o.offerStatus,
  };
  if (latest) out.latestVersion = versionView(latest, ctx);
  if (options.versions) out.versions = o.versions.map((v) => versionView(v, ctx));
  if (options.formDefinition) out.formDefinition = offerForm(ctx.world);
  return out;
}

export function offerProcessView(p: OfferProcessModel): Record<string, unknown> {
  return { id: p.id, applicationId: p.applicationId, status: p.status };
}

export function approvalView(a: ApprovalModel): Record<string, unknown> {
  return {
    id: a.id,
    approvalDefinitionId: a.approvalDefinitionId,
    entityId: a.entityId,
    entityType: a.entityType,
    createdAt: a.createdAt,
    ...(a.submittedAt !== undefined ? { submittedAt: a.submittedAt } : {}),
    ...(a.completedAt !== undefined ? { completedAt: a.completedAt } : {}),
    steps: a.steps,
  };
}
