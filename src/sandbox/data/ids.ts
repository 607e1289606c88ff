import { hash4, mix32 } from './random.js';

/**
 * Record ids are lowercase v4-shaped UUIDs, like Ashby's, that still encode which record they
 * name: (entity kind, index) is packed into 48 bits, masked with bits derived from the rest of the
 * id, and the rest is a seed-keyed hash of (kind, index). Decoding therefore needs no lookup
 * table (1,000,000 candidates cost no memory for their ids), ids from another seed or typed by
 * hand fail verification, and ids look random.
 *
 * Layout of the 32 hex digits: c1 (8) · c2 high (4) · '4' · c2 low (3) · variant + 2 bits of c2 (1) ·
 * check (3) · masked kind/index (12). c1 is a seed-keyed hash of (kind, index); c2, the check and
 * the masks derive from it.
 */
export enum Kind {
  Candidate = 1,
  Application = 2,
  ApplicationHistory = 3,
  Job = 4,
  JobPosting = 5,
  Opening = 6,
  InterviewPlan = 7,
  InterviewStage = 8,
  Interview = 9,
  InterviewSchedule = 10,
  InterviewEvent = 11,
  ApplicationFeedback = 12,
  Offer = 13,
  OfferVersion = 14,
  OfferProcess = 15,
  Approval = 16,
  Department = 17,
  Location = 18,
  User = 19,
  Source = 20,
  SourceType = 21,
  ArchiveReason = 22,
  CloseReason = 23,
  CandidateTag = 24,
  CustomField = 25,
  FeedbackFormDefinition = 26,
  SurveyFormDefinition = 27,
  Project = 28,
  JobTemplate = 29,
  InterviewerPool = 30,
  HiringTeamRole = 31,
  Brand = 32,
  Note = 33,
  File = 34,
  TrainingStage = 35,
  ApprovalStep = 36,
  Approver = 37,
  CompensationTier = 38,
  FormField = 39,
  Organization = 40,
  Place = 41,
  InterviewStageGroup = 42,
  OfferForm = 43,
  OpeningVersion = 44,
  TrainingPath = 45,
  CompensationComponent = 46,
  CommunicationTemplate = 47,
  JobBoard = 48,
  SourceTrackingLink = 49,
  SurveyRequest = 50,
  SurveySubmission = 51,
  CriteriaEvaluation = 52,
  Criterion = 53,
  ApplicationHiringTeamRole = 54,
  ClientInfo = 55,
  FraudCheck = 56,
  FraudSignal = 57,
  InterviewerPause = 58,
  Assessment = 59,
}

/** Records created through the API or the admin interface get indexes from here up, so they never collide with generated ones. */
export const CREATED_INDEX_BASE = 2 ** 39;
const MAX_INDEX = 2 ** 40;
const TWO_POW_24 = 16777216;

/** Ids of small entities (up to this index) are cached both ways. */
const ID_CACHE_LIMIT = 1 << 20;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HEX_DIGIT = '0123456789abcdef';
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(n: number): string {
  return HEX[(n >>> 24) & 255]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
}
function hex6(n: number): string {
  return HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
}

export interface DecodedId {
  kind: Kind;
  index: number;
}

export class IdCodec {
  /** Ids of small entities are asked for constantly (sources, users, stages); keep them. */
  /** Keyed kind × 2^20 + index. */
  private readonly cache = new Map<number, string>();
  private readonly cacheable: boolean[] = [];
  /** The reverse of `cache`: views look the same few ids up over and over. */
  private readonly known = new Map<string, DecodedId>();

  /**
   * @param uncached kinds with millions of records (candidates, applications…): caching their ids
   *   would grow memory with every record read.
   */
  private readonly maskKey: number;

  constructor(
    private readonly seed: number,
    uncached: ReadonlySet<Kind> = new Set(),
  ) {
    this.maskKey = mix32(seed ^ 0x27d4eb2f);
    for (let k = 0; k < 256; k++) this.cacheable[k] = !uncached.has(k as Kind);
  }

  id(kind: Kind, index: number): string {
    if (index < ID_CACHE_LIMIT && this.cacheable[kind]) {
      const key = kind * ID_CACHE_LIMIT + index;
      let id = this.cache.get(key);
      if (id === undefined) {
        id = this.encode(kind, index);
        this.cache.set(key, id);
        this.known.set(id, { kind, index });
      }
      return id;
    }
    return this.encode(kind, index);
  }

  private parts(
    kind: number,
    index: number,
  ): { c1: number; c2: number; check: number; maskHi: number; maskLo: number } {
    // One keyed hash of (kind, index); everything else derives from it with single mixes.
    const c1 = hash4(this.seed, kind, index, 1);
    const c2 = mix32(c1 ^ 0x68e31da4) >>> 2; // 30 bits: 28 in hex digits, 2 in the variant nibble
    return {
      c1,
      c2,
      check: mix32(c1 ^ 0xb5297a4d) & 0xfff,
      maskHi: mix32(c1 ^ this.maskKey) >>> 8,
      maskLo: mix32(c2 ^ this.maskKey) >>> 8,
    };
  }

  private encode(kind: Kind, index: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= MAX_INDEX)
      throw new RangeError(`id index out of range: ${index}`);
    const { c1, c2, check, maskHi, maskLo } = this.parts(kind, index);
    const hi = ((kind & 0xff) << 16) | Math.floor(index / TWO_POW_24);
    const lo = index % TWO_POW_24;
    const c2hex = hex8(c2 >>> 2);
    return (
      `${hex8(c1)}-${c2hex.slice(1, 5)}-4${c2hex.slice(5, 8)}-${HEX_DIGIT[8 | (c2 & 3)]}${HEX_DIGIT[check >>> 8]}${HEX[check & 255]}-` +
      `${hex6((hi ^ maskHi) & 0xffffff)}${hex6((lo ^ maskLo) & 0xffffff)}`
    );
  }

  /** The (kind, index) an id names, or undefined when it is not an id this sandbox issued. */
  decode(id: unknown): DecodedId | undefined {
    if (typeof id !== 'string' || id.length !== 36) return undefined;
    const hit = this.known.get(id);
    if (hit) return hit;
    const s = id.toLowerCase();
    if (!UUID_V4.test(s)) return undefined;
    const c1 = parseInt(s.slice(0, 8), 16);
    const c2 = parseInt(s.slice(9, 13) + s.slice(15, 18), 16) * 4 + (parseInt(s[19]!, 16) & 3);
    const c1Parts = { maskHi: mix32(c1 ^ this.maskKey) >>> 8, maskLo: mix32(c2 ^ this.maskKey) >>> 8 };
    const kindAndHigh = (parseInt(s.slice(24, 30), 16) ^ c1Parts.maskHi) & 0xffffff;
    const kind = kindAndHigh >>> 16;
    const index = (kindAndHigh & 0xffff) * TWO_POW_24 + ((parseInt(s.slice(30, 36), 16) ^ c1Parts.maskLo) & 0xffffff);
    // The visible hash parts must be the ones this seed gives (kind, index).
    const expected = this.parts(kind, index);
    const valid = c1 === expected.c1 && c2 === expected.c2 && parseInt(s.slice(20, 23), 16) === expected.check;
    return valid ? { kind: kind as Kind, index } : undefined;
  }

  /** The index of `id` if it names a record of `kind`. */
  indexOf(kind: Kind, id: unknown): number | undefined {
    const decoded = this.decode(id);
    return decoded && decoded.kind === kind ? decoded.index : undefined;
  }
}
