import { iso } from '../clock.js';
import { Kind } from './ids.js';
import { Rng } from './random.js';
import { CF, sampleCustomFieldValue } from './forms.js';
import type {
  CandidateLocation,
  CandidateModel,
  ContactInfo,
  CustomFieldEntry,
  FileHandle,
  NoteModel,
  SocialLink,
} from './models.js';
import { SOURCE_APPLIED, SOURCE_LINKEDIN } from './org.js';
import { COMPANIES, FIRST_NAMES, LAST_NAMES, NOTE_TEXTS, PLACES, POSITIONS, SCHOOLS, TIMEZONES } from './vocabulary.js';
import { APPLICATION_SLOTS, NOTE_SLOTS, type World } from './world.js';

/** Candidates and their notes. */

/** Generated candidates' primary email encodes their index, which lets candidate.search by email skip a scan. */
export const CANDIDATE_EMAIL_DOMAIN = 'example.com';
const EMAIL_INDEX = /\.(\d+)@example\.com$/;

const FIRST_LOWER = FIRST_NAMES.map((n) => n.toLowerCase());
const LAST_LOWER = LAST_NAMES.map((n) => n.toLowerCase());

export function candidateName(
  w: World,
  i: number,
): { first: string; last: string; firstLower: string; lastLower: string } {
  const f = w.h(Kind.Candidate, i, 10) % FIRST_NAMES.length;
  const l = w.h(Kind.Candidate, i, 11) % LAST_NAMES.length;
  return { first: FIRST_NAMES[f]!, last: LAST_NAMES[l]!, firstLower: FIRST_LOWER[f]!, lastLower: LAST_LOWER[l]! };
}

/** Candidate locations are shared, immutable objects: one per place and seed. */
const placeCache = new WeakMap<World, CandidateLocation[]>();
function placeLocation(w: World, place: number): CandidateLocation {
  let list = placeCache.get(w);
  if (!list) {
    list = PLACES.map(([city, region, country], p) => ({
      id: w.id(Kind.Place, p),
      locationSummary: `${city}, ${region}, ${country}`,
      locationComponents: [
        { type: 'Country' as const, name: country },
        { type: 'Region' as const, name: region },
        { type: 'City' as const, name: city },
      ],
    }));
    placeCache.set(w, list);
  }
  return list[place]!;
}

/**
 * What an application embeds of its candidate, computed without generating the whole candidate
 * (application.list pages embed 100 of these).
 */
export function candidateSummary(
  w: World,
  i: number,
  n = candidateName(w, i),
): { name: string; email: ContactInfo; phone?: ContactInfo } {
  const out: { name: string; email: ContactInfo; phone?: ContactInfo } = {
    name: `${n.first} ${n.last}`,
    email: {
      value: `${n.firstLower}.${n.lastLower}.${i}@${CANDIDATE_EMAIL_DOMAIN}`,
      type: 'Personal',
      isPrimary: true,
    },
  };
  if (w.u(Kind.Candidate, i, 12) < 0.75)
    out.phone = { value: `+1555${String(i % 10_000_000).padStart(7, '0')}`, type: 'Personal', isPrimary: true };
  return out;
}

export function candidateIndexFromEmail(email: string): number | undefined {
  const m = EMAIL_INDEX.exec(email.toLowerCase());
  return m ? Number(m[1]) : undefined;
}

const CANDIDATE_FIELDS = [
  CF.PreferredName,
  CF.Relocate,
  CF.Seniority,
  CF.Languages,
  CF.AvailableFrom,
  CF.Experience,
  CF.SalaryExpectation,
];

/** Weighted choice of source: mostly job-board applications, then LinkedIn and referrals. */
function sourceIndex(rng: Rng): number {
  const r = rng.next();
  return r < 0.45
    ? SOURCE_APPLIED
    : r < 0.65
      ? SOURCE_LINKEDIN
      : r < 0.75
        ? 0
        : r < 0.82
          ? 2
          : r < 0.88
            ? 6
            : r < 0.94
              ? 14
              : 4;
}

export function fileHandle(
  w: World,
  fileIndex: number,
  ownerId: string,
  name: string,
  type: 'ResumeFile' | 'CandidateFile',
): FileHandle {
  const id = w.id(Kind.File, fileIndex);
  // Opaque to clients (docs/ashby-api.md §5.1): the shape of Ashby's, with a made-up signature.
  const signature = `${w.h(Kind.File, fileIndex, 1).toString(36)}${w.h(Kind.File, fileIndex, 2).toString(36)}`;
  const handle = Buffer.from(
    `{"handle":{"type":"${type}","fileId":"${id}","ownerId":"${ownerId}"},"signature":"${signature}","version":"1"}`,
  ).toString('base64url');
  return { id, name, handle };
}

export function generateCandidate(w: World, i: number): CandidateModel | undefined {
  if (i >= w.counts.candidates) return undefined;
  const rng = new Rng(w.h(Kind.Candidate, i, 0));
  const id = w.id(Kind.Candidate, i);
  const n = candidateName(w, i);
  const summary = candidateSummary(w, i, n);
  const emails: ContactInfo[] = [summary.email];
  if (rng.chance(0.1))
    emails.push({ value: `${n.firstLower[0]}${n.lastLower}@work-${i % 97}.example`, type: 'Work', isPrimary: false });
  const links: SocialLink[] = [];
  if (rng.chance(0.5))
    links.push({ type: 'LinkedIn', url: `https://linkedin.com/in/${n.firstLower}-${n.lastLower}-${i}` });
  if (rng.chance(0.15)) links.push({ type: 'GitHub', url: `https://github.com/${n.firstLower}${n.lastLower}${i}` });
  if (rng.chance(0.1)) links.push({ type: 'Website', url: `https://${n.firstLower}${n.lastLower}.example.org` });
  // Tag 11 is archived; generated candidates only carry live tags.
  const tagIds = rng.chance(0.2)
    ? [...new Set([rng.int(11), rng.int(11)])].slice(0, rng.between(1, 2)).map((t) => w.id(Kind.CandidateTag, t))
    : [];
  const applicationIds: string[] = [];
  for (let k = 0; k < w.applicationCount(i); k++)
    applicationIds.push(w.id(Kind.Application, i * APPLICATION_SLOTS + k));
  const resume = rng.chance(0.9)
    ? fileHandle(w, i * 2, id, `${n.first}_${n.last}_Resume.pdf`, 'ResumeFile')
    : undefined;
  const customFields: CustomFieldEntry[] = [];
  if (rng.chance(0.3)) {
    for (const f of CANDIDATE_FIELDS) {
      if (rng.chance(0.5))
        customFields.push({ fieldId: w.id(Kind.CustomField, f), value: sampleCustomFieldValue(w, f, rng) });
    }
  }
  const place = rng.chance(0.95) ? rng.int(PLACES.length) : -1;
  const project = w.candidateProject(i);
  const created = w.candidateCreatedAt(i);
  const position = rng.chance(0.85) ? rng.pick(POSITIONS) : undefined;
  const company = rng.chance(0.85) ? rng.pick(COMPANIES) : undefined;
  const school = rng.chance(0.7) ? rng.pick(SCHOOLS) : undefined;
  const c: CandidateModel = {
    id,
    createdAt: iso(created),
    updatedAt: iso(w.between(created, 0.02 + rng.next() * 0.1)),
    name: summary.name,
    emailAddresses: emails,
    phoneNumbers: summary.phone ? [summary.phone] : [],
    socialLinks: links,
    tagIds,
    applicationIds,
    fileHandles: resume ? [resume] : [],
    customFields,
    sourceId: w.id(Kind.Source, sourceIndex(rng)),
    creditedToUserId: null,
    timezone: rng.chance(0.4) ? rng.pick(TIMEZONES) : null,
    fraudStatus: null,
    projectIds: project >= 0 ? [w.id(Kind.Project, project)] : [],
  };
  // Unset optional fields stay absent (docs/ashby-api.md §5.1), so they are only assigned when set.
  if (position) c.position = position;
  if (company) c.company = company;
  if (school) c.school = school;
  if (resume) c.resumeFileHandle = resume;
  if (place >= 0) c.location = placeLocation(w, place);
  return c;
}

export function generateNote(w: World, slot: number): NoteModel | undefined {
  const c = Math.floor(slot / NOTE_SLOTS);
  if (c >= w.counts.candidates || slot % NOTE_SLOTS >= w.noteCount(c)) return undefined;
  const rng = new Rng(w.h(Kind.Note, slot, 0));
  const created = iso(w.between(w.candidateCreatedAt(c), 0.01 + rng.next() * 0.05));
  return {
    id: w.id(Kind.Note, slot),
    candidateId: w.id(Kind.Candidate, c),
    createdAt: created,
    updatedAt: created,
    isPrivate: rng.chance(0.1),
    content: rng.pick(NOTE_TEXTS),
    authorId: w.id(Kind.User, rng.int(Math.min(5, w.counts.users))),
  };
}
