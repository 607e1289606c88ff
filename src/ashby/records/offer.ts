import { Type, type Static } from '@sinclair/typebox';
import {
  CustomFieldValue,
  Enum,
  FieldSubmission,
  FileHandle,
  FormDefinition,
  Opt,
  Timestamp,
  User,
  Uuid,
  observed,
} from './common.js';

/** Offers (docs/ashby-api.md §5.6). No real sample exists; these follow the spec only. */
export const AcceptanceStatus = Enum(['Accepted', 'Declined', 'Pending', 'Created', 'Cancelled', 'WaitingOnResponse']);
export type AcceptanceStatus = Static<typeof AcceptanceStatus>;
export const OfferStatus = Enum([
  'WaitingOnApprovalStart',
  'WaitingOnOfferApproval',
  'WaitingOnApprovalDefinition',
  'WaitingOnCandidateResponse',
  'CandidateRejected',
  'CandidateAccepted',
  'OfferCancelled',
]);
export const OfferProcessStatus = Enum([
  'WaitingOnOfferCreation',
  'WaitingOnApprovalStart',
  'WaitingOnOfferApproval',
  'WaitingOnCandidateResponse',
  'CandidateAccepted',
  'CandidateRejected',
  'OfferCancelled',
]);
export const ApprovalStatus = Enum(['Approved', 'WaitingOnApprovals', 'Declined']);

export const OfferVersion = Type.Object({
  id: Uuid,
  startDate: Opt(Timestamp),
  salary: Opt(Type.Object({ currencyCode: Opt(Type.String()), value: Opt(Type.Number()) })),
  createdAt: Timestamp,
  openingId: Opt(Uuid),
  customFields: Opt(Type.Array(CustomFieldValue)),
  /** The generated offer letter: unsigned .pdf/.docx, signed .pdf. */
  fileHandles: Opt(Type.Array(FileHandle)),
  author: Opt(User),
  approvalStatus: Opt(ApprovalStatus),
});
export type OfferVersion = Static<typeof OfferVersion>;

/** offer.list returns only the latest version; versions and the form come with offer.info and the writes. */
const INFO_ONLY = observed('offer.info and the offer writes only, not offer.list', 'notInSpec');

/** offer.list / offer.info and the offer writes. */
export const Offer = Type.Object({
  id: Uuid,
  decidedAt: Opt(Timestamp),
  applicationId: Uuid,
  acceptanceStatus: AcceptanceStatus,
  offerStatus: Opt(OfferStatus),
  /** Its id is the `offerVersionId` of offer.startApprovalProcess / offer.approve. */
  latestVersion: Opt(OfferVersion),
  versions: Opt(Type.Array(OfferVersion, INFO_ONLY)),
  /** Omitted with excludeFormDefinition. */
  formDefinition: Opt(Type.Object(FormDefinition.properties, INFO_ONLY)),
});
export type Offer = Static<typeof Offer>;

/** offerProcess.start. */
export const OfferProcess = Type.Object({ id: Uuid, applicationId: Uuid, status: OfferProcessStatus });
export type OfferProcess = Static<typeof OfferProcess>;

/** offer.start: the form to fill; its `id` is the `offerFormId` of offer.create. */
export const OfferForm = Type.Object({ id: Opt(Uuid), formDefinition: Opt(FormDefinition) });
export type OfferForm = Static<typeof OfferForm>;

const OfferFormInput = Type.Object({ fieldSubmissions: Type.Array(FieldSubmission) });

export const OfferCreateBody = Type.Object({
  offerProcessId: Uuid,
  offerFormId: Uuid,
  offerForm: OfferFormInput,
  excludeFormDefinition: Type.Optional(Type.Boolean()),
});
export type OfferCreateBody = Static<typeof OfferCreateBody>;

export const OfferUpdateBody = Type.Object({
  offerId: Uuid,
  offerForm: OfferFormInput,
  excludeFormDefinition: Type.Optional(Type.Boolean()),
});
export type OfferUpdateBody = Static<typeof OfferUpdateBody>;

export const OfferStartApprovalBody = Type.Object({
  offerVersionId: Uuid,
  note: Type.Optional(Type.String()),
  excludeFormDefinition: Type.Optional(Type.Boolean()),
});
export type OfferStartApprovalBody = Static<typeof OfferStartApprovalBody>;

/** Without approvalStepId: force-approve the whole process; with it, one step (userId required, docs/ashby-api.md §5.6). */
export const OfferApproveBody = Type.Object({
  offerVersionId: Uuid,
  approvalStepId: Type.Optional(Uuid),
  userId: Type.Optional(Uuid),
  excludeFormDefinition: Type.Optional(Type.Boolean()),
});
export type OfferApproveBody = Static<typeof OfferApproveBody>;

/**
 * offer.setStatus is announced in Ashby's 2026-07 changelog but absent from the spec; the
 * parameter names are our best reading of the changelog (docs/ashby-api.md §5.6, uncertain).
 */
export const OfferSetStatusBody = Type.Object({
  offerId: Uuid,
  acceptanceStatus: AcceptanceStatus,
  excludeFormDefinition: Type.Optional(Type.Boolean()),
});
export type OfferSetStatusBody = Static<typeof OfferSetStatusBody>;
