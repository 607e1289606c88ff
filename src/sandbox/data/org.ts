import { iso } from '../clock.js';
import { Kind } from './ids.js';
import { Rng } from './random.js';
import { FIRST_NAMES, LAST_NAMES } from './vocabulary.js';
import type { World } from './world.js';

/**
 * The organisation's people and places: users, departments, locations, and the small lists of
 * sources, reasons and tags. These are few (at most a few thousand users), so views may look them
 * up freely.
 */

const DAY = 86_400_000;
const GLOBAL_ROLES = ['Organization Admin', 'Elevated Access', 'Limited Access', 'External Recruiter'] as const;

export interface UserModel {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  globalRole: string;
  isEnabled: boolean;
  updatedAt: string;
}

export function generateUser(w: World, i: number): UserModel | undefined {
  if (i >= w.counts.users) return undefined;
  const rng = new Rng(w.h(Kind.User, i, 0));
  const firstName = FIRST_NAMES[(i * 7 + rng.int(3)) % FIRST_NAMES.length]!;
  const lastName = LAST_NAMES[(i * 13 + rng.int(5)) % LAST_NAMES.length]!;
  // User 0 is the admin who authored most records; users from index 2 on may be deactivated.
  const role =
    i === 0
      ? GLOBAL_ROLES[0]
      : rng.chance(0.1)
        ? GLOBAL_ROLES[0]
        : rng.chance(0.5)
          ? GLOBAL_ROLES[1]
          : rng.chance(0.9)
            ? GLOBAL_ROLES[2]
            : GLOBAL_ROLES[3];
  return {
    id: w.id(Kind.User, i),
    firstName,
    lastName,
    email: `${firstName}.${lastName}.${i}@acme-talent.example`.toLowerCase(),
    globalRole: role,
    isEnabled: i < 2 || !rng.chance(0.2),
    updatedAt: iso(w.startMs - rng.between(1, 400) * DAY - rng.int(DAY)),
  };
}

export interface DepartmentModel {
  id: string;
  name: string;
  externalName: string | null;
  isArchived: boolean;
  parentId: string | null;
  createdAt: string;
  updatedAt: string;
  extraData: Record<string, unknown> | null;
}

const TOP_DEPARTMENTS = ['Engineering', 'Go-To-Market', 'Operations'] as const;
const TEAMS = [
  'Platform',
  'Product Engineering',
  'Data',
  'Security',
  'Sales',
  'Marketing',
  'Customer Success',
  'People',
  'Finance',
  'Legal',
  'Design',
  'Infrastructure',
] as const;
const TEAM_PARENT = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 0, 0] as const;

export function generateDepartment(w: World, i: number): DepartmentModel | undefined {
  const n = w.counts.departments;
  if (i >= n) return undefined;
  const rng = new Rng(w.h(Kind.Department, i, 0));
  const top = i < TOP_DEPARTMENTS.length;
  const t = i - TOP_DEPARTMENTS.length;
  const name = top
    ? TOP_DEPARTMENTS[i]!
    : t < TEAMS.length
      ? TEAMS[t]!
      : `${TEAMS[t % TEAMS.length]} ${Math.floor(t / TEAMS.length) + 1}`;
  const created = w.startMs - rng.between(600, 1000) * DAY;
  return {
    id: w.id(Kind.Department, i),
    name,
    externalName: null,
    // The last department is an archived team, to exercise includeArchived.
    isArchived: !top && i === n - 1,
    parentId: top ? null : w.id(Kind.Department, TEAM_PARENT[t % TEAM_PARENT.length]!),
    createdAt: iso(created),
    updatedAt: iso(created + rng.between(1, 300) * DAY),
    extraData: null,
  };
}

/** Leaf teams jobs belong to (never a top-level department, never the archived one). */
export function jobDepartmentIndex(w: World, jobIndex: number): number {
  const teams = w.counts.departments - TOP_DEPARTMENTS.length - 1;
  return TOP_DEPARTMENTS.length + (w.h(Kind.Job, jobIndex, 3) % teams);
}

export interface LocationModel {
  id: string;
  name: string;
  externalName: string | null;
  isArchived: boolean;
  address?: { postalAddress: Record<string, string> };
  isRemote: boolean;
  workplaceType?: 'OnSite' | 'Hybrid' | 'Remote';
  parentLocationId: string | null;
  type: 'Location' | 'LocationHierarchy';
  extraData: Record<string, unknown> | null;
}

/** [name, region index or -1 for a region itself, country, locality, workplace, archived] */
const LOCATIONS: ReadonlyArray<
  readonly [string, number, string, string, 'OnSite' | 'Hybrid' | 'Remote' | '', boolean]
> = [
  ['North America', -1, '', '', '', false],
  ['Europe', -1, '', '', '', false],
  ['Asia Pacific', -1, '', '', '', false],
  ['San Francisco', 0, 'United States', 'San Francisco', 'OnSite', false],
  ['New York', 0, 'United States', 'New York', 'Hybrid', false],
  ['Toronto', 0, 'Canada', 'Toronto', 'Hybrid', false],
  ['Remote (US)', 0, 'United States', '', 'Remote', false],
  ['London', 1, 'United Kingdom', 'London', 'Hybrid', false],
  ['Berlin', 1, 'Germany', 'Berlin', 'OnSite', false],
  ['Warsaw', 1, 'Poland', 'Warsaw', 'Hybrid', false],
  ['Remote (EU)', 1, 'Germany', '', 'Remote', false],
  ['Singapore', 2, 'Singapore', 'Singapore', 'OnSite', false],
  ['Sydney', 2, 'Australia', 'Sydney', 'Hybrid', false],
  ['Chicago', 0, 'United States', 'Chicago', 'OnSite', true],
];
export const LOCATION_COUNT = LOCATIONS.length;
/** Locations jobs may be in: real offices that are not archived. */
export const JOB_LOCATIONS = LOCATIONS.map((l, i) => (l[1] >= 0 && !l[5] ? i : -1)).filter((i) => i >= 0);

export function generateLocation(w: World, i: number): LocationModel | undefined {
  const row = LOCATIONS[i];
  if (!row) return undefined;
  const [name, region, country, locality, workplace, archived] = row;
  const isRegion = region < 0;
  const postal: Record<string, string> = {};
  if (country) postal.addressCountry = country;
  if (locality) postal.addressLocality = locality;
  return {
    id: w.id(Kind.Location, i),
    name,
    externalName: isRegion ? null : name,
    isArchived: archived,
    ...(isRegion ? {} : { address: { postalAddress: postal } }),
    isRemote: workplace === 'Remote',
    ...(workplace ? { workplaceType: workplace } : {}),
    parentLocationId: isRegion ? null : w.id(Kind.Location, region),
    type: isRegion ? 'LocationHierarchy' : 'Location',
    extraData: null,
  };
}

export interface SourceModel {
  id: string;
  title: string;
  isArchived: boolean;
  sourceType: { id: string; title: string; isArchived: boolean };
}

const SOURCE_TYPES = ['Referral', 'Sourced', 'Internal', 'Inbound'] as const;
/** The source list of a typical org (titles as Ashby ships them), plus one archived source. */
const SOURCES: ReadonlyArray<readonly [string, number, boolean]> = [
  ['Referral', 0, false],
  ['Referral Link', 0, false],
  ['Ashby Chrome Extension', 1, false],
  ['Recruiting Event', 1, false],
  ['Internal Transfer', 2, false],
  ['Applied', 3, false],
  ['Indeed Listings', 3, false],
  ['Indeed Sponsored', 3, false],
  ['LinkedIn', 3, false],
  ['LinkedIn Limited Listings', 3, false],
  ['ZipRecruiter Organic Postings', 3, false],
  ['Built In Listings', 3, false],
  ['Welcome to the Jungle', 3, false],
  ['Himalayas', 3, false],
  ['Sourcing Form', 1, false],
  ['Y Combinator Work at a Startup', 1, false],
  ['Public Booking Link', 1, false],
  ['Y Combinator Work at a Startup', 3, false],
  ['Job Fair 2023', 1, true],
];
export const SOURCE_COUNT = SOURCES.length;
export const SOURCE_APPLIED = 5;
export const SOURCE_LINKEDIN = 8;

export function generateSource(w: World, i: number): SourceModel | undefined {
  const row = SOURCES[i];
  if (!row) return undefined;
  return {
    id: w.id(Kind.Source, i),
    title: row[0],
    isArchived: row[2],
    sourceType: { id: w.id(Kind.SourceType, row[1]), title: SOURCE_TYPES[row[1]]!, isArchived: false },
  };
}

export function sourceIsInbound(i: number): boolean {
  return SOURCES[i]?.[1] === 3;
}

export interface ArchiveReasonModel {
  id: string;
  text: string;
  reasonType: 'RejectedByCandidate' | 'RejectedByOrg' | 'Other';
  isArchived: boolean;
}

const ARCHIVE_REASONS: ReadonlyArray<readonly [string, ArchiveReasonModel['reasonType'], boolean]> = [
  ['Lacks Skills/Qualifications', 'RejectedByOrg', false],
  ['Insufficient Experience', 'RejectedByOrg', false],
  ['Position Filled', 'RejectedByOrg', false],
  ['Location Mismatch', 'RejectedByOrg', false],
  ['Accepted Another Offer', 'RejectedByCandidate', false],
  ['Compensation Expectations', 'RejectedByCandidate', false],
  ['Not Interested', 'RejectedByCandidate', false],
  ['Duplicate Candidate', 'Other', false],
  ['Legacy Reason', 'Other', true],
];
export const ARCHIVE_REASON_COUNT = ARCHIVE_REASONS.length;
/** Archive reasons generated applications may carry (the archived one is excluded). */
export const ACTIVE_ARCHIVE_REASONS = ARCHIVE_REASONS.length - 1;

export function generateArchiveReason(w: World, i: number): ArchiveReasonModel | undefined {
  const row = ARCHIVE_REASONS[i];
  return row && { id: w.id(Kind.ArchiveReason, i), text: row[0], reasonType: row[1], isArchived: row[2] };
}

const CLOSE_REASONS: ReadonlyArray<readonly [string, boolean]> = [
  ['Filled', false],
  ['Budget Removed', false],
  ['Role Redefined', false],
  ['Hiring Paused', false],
  ['Legacy Close Reason', true],
];

export function generateCloseReason(
  w: World,
  i: number,
): { id: string; reasonText: string; isArchived: boolean } | undefined {
  const row = CLOSE_REASONS[i];
  return row && { id: w.id(Kind.CloseReason, i), reasonText: row[0], isArchived: row[1] };
}
export const CLOSE_REASON_COUNT = CLOSE_REASONS.length;

const TAGS = [
  'Strong Referral',
  'Silver Medalist',
  'Needs Visa Sponsorship',
  'Open Source Contributor',
  'Returner Program',
  'Conference Lead',
  'Internal Mobility',
  'Hackathon',
  'Do Not Contact',
  'Relocation',
  'Bootcamp Graduate',
  'Campus 2024',
] as const;

export function generateTag(w: World, i: number): { id: string; title: string; isArchived: boolean } | undefined {
  if (i >= w.counts.tags) return undefined;
  const title =
    i < TAGS.length ? TAGS[i]! : `Campaign ${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
  // "Campus 2024" (the last base tag) is archived, to exercise includeArchived.
  return { id: w.id(Kind.CandidateTag, i), title, isArchived: i === TAGS.length - 1 };
}

export const HIRING_TEAM_ROLES = ['Hiring Manager', 'Recruiter', 'Coordinator', 'Sourcer'] as const;
