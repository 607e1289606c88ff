import { Type, type Static } from '@sinclair/typebox';
import {
  ContactInfo,
  CustomFieldValue,
  Enum,
  FileHandle,
  Opt,
  SocialLink,
  Source,
  Tag,
  Timestamp,
  User,
  Uuid,
  observed,
} from './common.js';

export const FraudStatus = Enum(['Fraudulent', 'NotFraudulent', 'Unsure', 'Unreviewed', 'PassedFraudCheck']);

/** candidate.list / .info / .search and every candidate write (docs/ashby-api.md §5.3). */
export const Candidate = Type.Object({
  id: Uuid,
  createdAt: Opt(Timestamp),
  updatedAt: Opt(Timestamp),
  name: Type.String(),
  primaryEmailAddress: Opt(ContactInfo),
  emailAddresses: Type.Array(ContactInfo),
  primaryPhoneNumber: Opt(ContactInfo),
  phoneNumbers: Type.Array(ContactInfo),
  socialLinks: Type.Array(SocialLink),
  tags: Type.Array(Tag),
  position: Opt(Type.String()),
  company: Opt(Type.String()),
  school: Opt(Type.String()),
  /** Confidential applications are left out unless the key may see confidential jobs (docs/ashby-api.md §4.3). */
  applicationIds: Type.Array(Uuid),
  resumeFileHandle: Opt(FileHandle),
  fileHandles: Type.Array(FileHandle),
  customFields: Opt(Type.Array(CustomFieldValue)),
  profileUrl: Type.String(),
  source: Opt(Source),
  creditedToUser: Opt(User),
  /** IANA zone, e.g. Europe/Warsaw. */
  timezone: Opt(Type.String()),
  location: Opt(
    Type.Object({
      id: Uuid,
      locationSummary: Type.String(),
      locationComponents: Type.Array(Type.Object({ type: Enum(['Country', 'Region', 'City']), name: Type.String() })),
    }),
  ),
  fraudStatus: Opt(FraudStatus),
});
export type Candidate = Static<typeof Candidate>;

/** candidate.createNote / candidate.listNotes. */
export const CandidateNote = Type.Object({
  id: Uuid,
  createdAt: Timestamp,
  isPrivate: Type.Boolean(),
  content: Opt(Type.String()),
  author: Type.Object({ id: Uuid, firstName: Type.String(), lastName: Type.String(), email: Opt(Type.String()) }),
});
export type CandidateNote = Static<typeof CandidateNote>;

/** candidate.update's spec points its location at a dangling $ref; docs/ashby-api.md §5.3 gives the same shape as create. */
const UPDATE_LOCATION = observed(
  "candidate.create's location shape; candidate.update's spec $ref is broken",
  'notInSpec',
);
const CandidateLocationInput = Type.Object({
  city: Type.Optional(Type.String(UPDATE_LOCATION)),
  region: Type.Optional(Type.String(UPDATE_LOCATION)),
  country: Type.Optional(Type.String(UPDATE_LOCATION)),
});

export const CandidateCreateBody = Type.Object({
  /** Full name. */
  name: Type.String(),
  email: Type.Optional(Type.String()),
  phoneNumber: Type.Optional(Type.String()),
  linkedInUrl: Type.Optional(Type.String()),
  githubUrl: Type.Optional(Type.String()),
  website: Type.Optional(Type.String()),
  alternateEmailAddresses: Type.Optional(Type.Array(Type.String())),
  sourceId: Type.Optional(Uuid),
  creditedToUserId: Type.Optional(Uuid),
  location: Type.Optional(CandidateLocationInput),
  /** Backdating, ISO timestamp. */
  createdAt: Type.Optional(Timestamp),
});
export type CandidateCreateBody = Static<typeof CandidateCreateBody>;

export const CandidateUpdateBody = Type.Object({
  candidateId: Uuid,
  name: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  phoneNumber: Type.Optional(Type.String()),
  linkedInUrl: Type.Optional(Type.String()),
  githubUrl: Type.Optional(Type.String()),
  /** Not `website` as on create. */
  websiteUrl: Type.Optional(Type.String()),
  /** Adds one address. */
  alternateEmail: Type.Optional(Type.String()),
  /** Replaces every link; linkedInUrl/githubUrl/websiteUrl are then ignored. */
  socialLinks: Type.Optional(Type.Array(SocialLink)),
  sourceId: Type.Optional(Uuid),
  creditedToUserId: Type.Optional(Uuid),
  location: Type.Optional(CandidateLocationInput),
  createdAt: Type.Optional(Timestamp),
  /** Ashby defaults to true. */
  sendNotifications: Type.Optional(Type.Boolean()),
});
export type CandidateUpdateBody = Static<typeof CandidateUpdateBody>;

/** ANDed when both are given; at most 100 results, no paging (docs/ashby-api.md §5.3). */
export const CandidateSearchBody = Type.Object({
  email: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
});
export type CandidateSearchBody = Static<typeof CandidateSearchBody>;

export const CandidateAddTagBody = Type.Object({ candidateId: Uuid, tagId: Uuid });
export type CandidateAddTagBody = Static<typeof CandidateAddTagBody>;

export const CandidateCreateNoteBody = Type.Object({
  candidateId: Uuid,
  note: Type.Union([Type.String(), Type.Object({ type: Enum(['text/plain', 'text/html']), value: Type.String() })]),
  sendNotifications: Type.Optional(Type.Boolean()),
  isPrivate: Type.Optional(Type.Boolean()),
  createdAt: Type.Optional(Timestamp),
});
export type CandidateCreateNoteBody = Static<typeof CandidateCreateNoteBody>;
