import { iso } from '../clock.js';
import { Kind } from './ids.js';
import { Rng } from './random.js';
import { CF, sampleCustomFieldValue } from './forms.js';
import type { ApprovalModel, OfferModel, OfferProcessModel, OfferVersionModel } from './models.js';
import { fileHandle } from './candidates.js';
import { stageEnteredAt } from './applications.js';
import { STAGE, type World } from './world.js';

/** Offers (one per application that reached the Offer stage), their processes and approvals. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Version ids: offer slot × this + version number. */
export const VERSION_SLOTS = 8;
/** Approval index space: [0, jobs) are job approvals, [jobs, jobs + application slots) offer approvals. */
export const APPROVAL_DEFINITION_INDEX = 2 ** 38;

interface OfferFate {
  acceptanceStatus: OfferModel['acceptanceStatus'];
  offerStatus: string;
  processStatus: string;
  approval: OfferVersionModel['approvalStatus'];
  decided: boolean;
}

function offerFate(w: World, slot: number): OfferFate {
  if (w.applicationFate(slot).stage === STAGE.Hired) {
    return {
      acceptanceStatus: 'Accepted',
      offerStatus: 'CandidateAccepted',
      processStatus: 'CandidateAccepted',
      approval: 'Approved',
      decided: true,
    };
  }
  const r = w.u(Kind.Offer, slot, 1);
  if (r < 0.25)
    return {
      acceptanceStatus: 'Created',
      offerStatus: 'WaitingOnApprovalStart',
      processStatus: 'WaitingOnApprovalStart',
      approval: null,
      decided: false,
    };
  if (r < 0.45)
    return {
      acceptanceStatus: 'Pending',
      offerStatus: 'WaitingOnOfferApproval',
      processStatus: 'WaitingOnOfferApproval',
      approval: 'WaitingOnApprovals',
      decided: false,
    };
  if (r < 0.85)
    return {
      acceptanceStatus: 'WaitingOnResponse',
      offerStatus: 'WaitingOnCandidateResponse',
      processStatus: 'WaitingOnCandidateResponse',
      approval: 'Approved',
      decided: false,
    };
  return {
    acceptanceStatus: 'Declined',
    offerStatus: 'CandidateRejected',
    processStatus: 'CandidateRejected',
    approval: 'Approved',
    decided: true,
  };
}

function offerCreatedAt(w: World, slot: number): number {
  return (stageEnteredAt(w, slot, STAGE.Offer) ?? w.applicationCreatedAt(slot)) + HOUR;
}

export function generateOffer(w: World, slot: number): OfferModel | undefined {
  if (!w.offerExists(slot)) return undefined;
  const rng = new Rng(w.h(Kind.Offer, slot, 0));
  const fate = offerFate(w, slot);
  const created = offerCreatedAt(w, slot);
  const job = w.applicationJobIndex(slot);
  const versionCount = rng.chance(0.2) ? 2 : 1;
  const versions: OfferVersionModel[] = [];
  for (let v = 0; v < versionCount; v++) {
    const latest = v === versionCount - 1;
    const vCreated = created + v * DAY;
    const base = rng.between(90, 220) * 1000;
    versions.push({
      id: w.id(Kind.OfferVersion, slot * VERSION_SLOTS + v),
      createdAt: iso(vCreated),
      startDate: iso(Math.floor((vCreated + 30 * DAY) / DAY) * DAY),
      salary: { currencyCode: 'USD', value: base },
      openingId: w.id(Kind.Opening, job),
      customFields: rng.chance(0.3)
        ? [{ fieldId: w.id(Kind.CustomField, CF.SigningBonus), value: sampleCustomFieldValue(w, CF.SigningBonus, rng) }]
        : [],
      fileHandles:
        latest && fate.approval === 'Approved'
          ? [fileHandle(w, 2 ** 36 + slot * 2, w.id(Kind.Offer, slot), 'Offer_Letter.pdf', 'CandidateFile')]
          : [],
      authorId: w.id(Kind.User, 1),
      // Superseded versions stopped their approvals when the next version was made.
      approvalStatus: latest ? fate.approval : null,
    });
  }
  const last = created + (versionCount - 1) * DAY;
  const decidedAt = fate.decided ? iso(Math.min(w.startMs - 1, last + 3 * DAY)) : null;
  return {
    id: w.id(Kind.Offer, slot),
    applicationId: w.id(Kind.Application, slot),
    offerProcessId: w.id(Kind.OfferProcess, slot),
    acceptanceStatus: fate.acceptanceStatus,
    offerStatus: fate.offerStatus,
    decidedAt,
    createdAt: iso(created),
    updatedAt: decidedAt ?? iso(last + HOUR),
    versions,
    ...(fate.approval !== null ? { approvalId: w.id(Kind.Approval, w.counts.jobs + slot) } : {}),
  };
}

export function generateOfferProcess(w: World, slot: number): OfferProcessModel | undefined {
  if (!w.offerExists(slot)) return undefined;
  const created = iso(offerCreatedAt(w, slot) - HOUR);
  return {
    id: w.id(Kind.OfferProcess, slot),
    applicationId: w.id(Kind.Application, slot),
    status: offerFate(w, slot).processStatus,
    offerId: w.id(Kind.Offer, slot),
    createdAt: created,
    updatedAt: created,
  };
}

function approvalSteps(w: World, index: number, decided: boolean, at: number): ApprovalModel['steps'] {
  const steps = 1 + (w.h(Kind.Approval, index, 1) % 2);
  const users = w.counts.users;
  return Array.from({ length: steps }, (_, s) => {
    const stepDone = decided;
    const requested = iso(at + s * HOUR);
    return {
      id: w.id(Kind.ApprovalStep, index * 4 + s),
      approvalsRequired: 1,
      ...(stepDone ? { completedAt: iso(at + (s + 1) * HOUR) } : {}),
      approvers: [0, 1].map((a) => ({
        id: w.id(Kind.Approver, index * 8 + s * 2 + a),
        userId: w.id(Kind.User, (s * 2 + a) % users),
        decision: stepDone && a === 0 ? ('approve' as const) : ('pending' as const),
        ...(stepDone && a === 0 ? { decidedAt: iso(at + (s + 1) * HOUR) } : {}),
        requestedAt: requested,
      })),
    };
  });
}

export function generateApproval(w: World, index: number): ApprovalModel | undefined {
  const jobs = w.counts.jobs;
  if (index < jobs) {
    if (index % 4 !== 1 || w.jobStatus(index) === 'Draft') return undefined;
    const at = w.startMs - (900 - (index % 800)) * DAY;
    return {
      id: w.id(Kind.Approval, index),
      approvalDefinitionId: w.id(Kind.Approval, APPROVAL_DEFINITION_INDEX),
      entityId: w.id(Kind.Job, index),
      entityType: 'job',
      createdAt: iso(at),
      updatedAt: iso(at + 2 * HOUR),
      submittedAt: iso(at),
      completedAt: iso(at + 2 * HOUR),
      steps: approvalSteps(w, index, true, at),
    };
  }
  const slot = index - jobs;
  const offer = w.offerExists(slot) ? generateOffer(w, slot) : undefined;
  if (!offer || offer.approvalId === undefined) return undefined;
  const latest = offer.versions[offer.versions.length - 1]!;
  const at = Date.parse(latest.createdAt) + HOUR;
  const decided = latest.approvalStatus === 'Approved';
  return {
    id: offer.approvalId,
    approvalDefinitionId: w.id(Kind.Approval, APPROVAL_DEFINITION_INDEX + 1),
    entityId: latest.id,
    entityType: 'offer',
    offerId: offer.id,
    createdAt: iso(at),
    updatedAt: iso(decided ? at + 2 * HOUR : at),
    submittedAt: iso(at),
    ...(decided ? { completedAt: iso(at + 2 * HOUR) } : {}),
    steps: approvalSteps(w, index, decided, at),
  };
}
