import type {
  AcceptanceStatus,
  Offer,
  OfferApproveBody,
  OfferCreateBody,
  OfferForm,
  OfferProcess,
  OfferSetStatusBody,
  OfferStartApprovalBody,
  OfferUpdateBody,
} from '../records/offer.js';
import type { AshbyPage, AshbyResult, CallOptions, PagesOptions, TypedCaller } from '../types.js';

export interface OfferListBody {
  createdAfter?: number;
  applicationId?: string;
  /** Ashby rejects empty arrays; leave a filter out instead. */
  offerStatus?: string[];
  acceptanceStatus?: AcceptanceStatus[];
  approvalStatus?: ('Approved' | 'WaitingOnApprovals' | 'Declined')[];
}

/**
 * The offer flow (docs/ashby-api.md §5.6): offerProcess.start → offer.start (gives the form and its id) →
 * offer.create → offer.startApprovalProcess → offer.approve.
 */
export function offerEndpoints(c: TypedCaller) {
  return {
    list: (body: OfferListBody = {}, options?: PagesOptions): AsyncIterable<AshbyPage<Offer>> =>
      c.list<Offer>('offer.list', body, options),
    info: (offerId: string, options?: CallOptions & { excludeFormDefinition?: boolean }): Promise<AshbyResult<Offer>> =>
      c.read<Offer>(
        'offer.info',
        {
          offerId,
          ...(options?.excludeFormDefinition !== undefined
            ? { excludeFormDefinition: options.excludeFormDefinition }
            : {}),
        },
        options,
      ),
    /** Starts a new offer version in a process; the result's id is the `offerFormId` for offer.create. */
    start: (offerProcessId: string, options?: CallOptions): Promise<AshbyResult<OfferForm>> =>
      c.write<OfferForm>('offer.start', { offerProcessId }, options),
    create: (body: OfferCreateBody, options?: CallOptions): Promise<AshbyResult<Offer>> =>
      c.write<Offer>('offer.create', body, options),
    /** Creates a new version and restarts approvals. */
    update: (body: OfferUpdateBody, options?: CallOptions): Promise<AshbyResult<Offer>> =>
      c.write<Offer>('offer.update', body, options),
    startApprovalProcess: (body: OfferStartApprovalBody, options?: CallOptions): Promise<AshbyResult<Offer>> =>
      c.write<Offer>('offer.startApprovalProcess', body, options),
    approve: (body: OfferApproveBody, options?: CallOptions): Promise<AshbyResult<Offer>> =>
      c.write<Offer>('offer.approve', body, options),
    /** 2026-07 changelog endpoint, absent from the spec: parameter names unverified (docs/ashby-api.md §5.6). */
    setStatus: (body: OfferSetStatusBody, options?: CallOptions): Promise<AshbyResult<Offer>> =>
      c.write<Offer>('offer.setStatus', body, options),
  };
}

export function offerProcessEndpoints(c: TypedCaller) {
  return {
    start: (applicationId: string, options?: CallOptions): Promise<AshbyResult<OfferProcess>> =>
      c.write<OfferProcess>('offerProcess.start', { applicationId }, options),
  };
}
