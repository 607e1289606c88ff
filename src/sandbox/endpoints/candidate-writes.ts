import { iso } from '../clock.js';
import { Kind } from '../data/ids.js';
import type {
  ApplicationModel,
  CandidateLocation,
  CandidateModel,
  ContactInfo,
  NoteModel,
  SocialLink,
} from '../data/models.js';
import { hash4 } from '../data/random.js';
import { optBool, optId, optIsoDate, optString, reqId, reqString, type Body } from '../http/params.js';
import type { Handler, RequestContext } from '../http/request-context.js';
import { invalidInput, notFound } from '../http/wire-error.js';
import { candidateView, noteView } from '../views/candidates.js';

/** candidate.create / update / addTag / createNote and candidateTag.create (docs/ashby-api.md §5.3, §5.9). */

const SOCIAL_TYPES = ['LinkedIn', 'GitHub', 'Twitter', 'Medium', 'StackOverflow', 'YouTube', 'CodePen', 'Website'];
/** Tags Ashby keeps in HTML notes; others are stripped, their text kept (docs/ashby-api.md §5.3). */
const NOTE_HTML_TAGS = new Set(['b', 'i', 'u', 'a', 'ul', 'ol', 'li', 'code', 'pre']);

/** The acting user of writes: Ashby attributes API writes to the key's creator, here the org admin. */
export function actorId(ctx: RequestContext): string {
  return ctx.core.world.id(Kind.User, 0);
}

function email(body: Body, key: string): string | undefined {
  const v = optString(body, key)?.trim();
  if (v !== undefined && !/^[^\s@]+@[^\s@]+$/.test(v)) throw invalidInput(`${key} must be an email address`);
  return v;
}

function checkRef(ctx: RequestContext, entity: 'source' | 'user', id: string | undefined): void {
  if (id !== undefined && !ctx.core.store.get(entity, id)) throw notFound(entity, id);
}

function candidateLocation(body: Body, ctx: RequestContext): CandidateLocation | undefined {
  const loc = body.location;
  if (loc === undefined || loc === null) return undefined;
  if (typeof loc !== 'object') throw invalidInput('location must be {city?, region?, country?}');
  const parts = loc as Record<string, unknown>;
  const components: CandidateLocation['locationComponents'] = [];
  for (const [type, key] of [
    ['Country', 'country'],
    ['Region', 'region'],
    ['City', 'city'],
  ] as const) {
    const v = parts[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw invalidInput(`location.${key} must be a string`);
    components.push({ type, name: v });
  }
  if (!components.length) return undefined;
  const summary = [...components]
    .reverse()
    .map((c) => c.name)
    .join(', ');
  let h = 0;
  for (let i = 0; i < summary.length; i++) h = hash4(h, summary.charCodeAt(i));
  return {
    id: ctx.core.world.id(Kind.Place, 1_000_000 + (h % 1_000_000)),
    locationSummary: summary,
    locationComponents: components,
  };
}

function setLink(links: SocialLink[], type: string, url: string | undefined): void {
  if (url === undefined) return;
  const at = links.findIndex((l) => l.type === type);
  if (at >= 0) links[at] = { type, url };
  else links.push({ type, url });
}

function makePrimary(list: ContactInfo[], value: string | undefined): void {
  if (value === undefined) return;
  for (const c of list) c.isPrimary = false;
  const existing = list.find((c) => c.value.toLowerCase() === value.toLowerCase());
  if (existing) existing.isPrimary = true;
  else list.unshift({ value, type: 'Personal', isPrimary: true });
}

function visibleCandidate(ctx: RequestContext, id: string): CandidateModel {
  const c = ctx.core.store.get<CandidateModel>('candidate', id);
  if (!c || !ctx.view.candidateVisible(c)) throw notFound('candidate', id);
  return c;
}

/** An application embeds its candidate's name, email and phone: keep incremental readers of applications current. */
function touchApplications(ctx: RequestContext, candidate: CandidateModel, at: string): void {
  for (const appId of candidate.applicationIds)
    ctx.core.store.update<ApplicationModel>('application', appId, (a) => void (a.updatedAt = at));
}

function sanitizeNote(note: unknown): string {
  if (typeof note === 'string') {
    if (!note.trim()) throw invalidInput('note must not be empty');
    return note;
  }
  const n = note as { type?: unknown; value?: unknown } | null;
  if (
    !n ||
    typeof n !== 'object' ||
    typeof n.value !== 'string' ||
    (n.type !== 'text/plain' && n.type !== 'text/html')
  ) {
    throw invalidInput('note must be a string or {type: "text/plain" | "text/html", value: string}');
  }
  if (n.type === 'text/plain') return n.value;
  return n.value.replace(/<\/?([a-zA-Z0-9]+)[^>]*>/g, (tag, name: string) =>
    NOTE_HTML_TAGS.has(name.toLowerCase()) ? tag : '',
  );
}

export const CANDIDATE_WRITE_HANDLERS: Record<string, Handler> = {
  'candidate.create': (ctx) => {
    const { body } = ctx;
    const name = reqString(body, 'name').trim();
    const primary = email(body, 'email');
    const alternates = body.alternateEmailAddresses;
    if (alternates !== undefined && (!Array.isArray(alternates) || alternates.some((a) => typeof a !== 'string')))
      throw invalidInput('alternateEmailAddresses must be an array of strings');
    const sourceId = optId(body, 'sourceId');
    const creditedToUserId = optId(body, 'creditedToUserId');
    checkRef(ctx, 'source', sourceId);
    checkRef(ctx, 'user', creditedToUserId);
    const createdAt = optIsoDate(body, 'createdAt');
    const emails: ContactInfo[] = primary ? [{ value: primary, type: 'Personal', isPrimary: true }] : [];
    for (const alt of (alternates as string[] | undefined) ?? [])
      emails.push({ value: alt, type: 'Personal', isPrimary: emails.length === 0 });
    const phone = optString(body, 'phoneNumber');
    const links: SocialLink[] = [];
    setLink(links, 'LinkedIn', optString(body, 'linkedInUrl'));
    setLink(links, 'GitHub', optString(body, 'githubUrl'));
    setLink(links, 'Website', optString(body, 'website'));
    const location = candidateLocation(body, ctx);
    const now = iso(ctx.core.clock.stamp());
    const candidate: CandidateModel = {
      id: ctx.core.store.allocateId('candidate'),
      createdAt: createdAt ?? now,
      updatedAt: now,
      name,
      emailAddresses: emails,
      phoneNumbers: phone ? [{ value: phone, type: 'Personal', isPrimary: true }] : [],
      socialLinks: links,
      tagIds: [],
      applicationIds: [],
      fileHandles: [],
      customFields: [],
      sourceId: sourceId ?? null,
      creditedToUserId: creditedToUserId ?? null,
      timezone: null,
      ...(location ? { location } : {}),
      fraudStatus: null,
      projectIds: [],
    };
    ctx.core.store.insert('candidate', candidate as unknown as { id: string });
    return { results: candidateView(candidate, ctx.view) };
  },

  'candidate.update': (ctx) => {
    const { body } = ctx;
    const id = reqId(body, 'candidateId');
    const current = visibleCandidate(ctx, id);
    const name = optString(body, 'name')?.trim();
    if (name === '') throw invalidInput('name must not be empty');
    const primary = email(body, 'email');
    const alternate = email(body, 'alternateEmail');
    const phone = optString(body, 'phoneNumber');
    const sourceId = optId(body, 'sourceId');
    const creditedToUserId = optId(body, 'creditedToUserId');
    checkRef(ctx, 'source', sourceId);
    checkRef(ctx, 'user', creditedToUserId);
    const createdAt = optIsoDate(body, 'createdAt');
    optBool(body, 'sendNotifications');
    let socialLinks: SocialLink[] | undefined;
    if (body.socialLinks !== undefined && body.socialLinks !== null) {
      if (!Array.isArray(body.socialLinks)) throw invalidInput('socialLinks must be an array of {type, url}');
      socialLinks = body.socialLinks.map((l, i) => {
        const link = l as { type?: unknown; url?: unknown };
        if (!SOCIAL_TYPES.includes(link?.type as string) || typeof link.url !== 'string')
          throw invalidInput(`socialLinks[${i}] must be {type: one of ${SOCIAL_TYPES.join(', ')}, url}`);
        return { type: link.type as string, url: link.url };
      });
    }
    const location = candidateLocation(body, ctx);
    const now = iso(ctx.core.clock.stamp());
    const updated = ctx.core.store.update<CandidateModel>('candidate', current.id, (c) => {
      if (name !== undefined) c.name = name;
      makePrimary(c.emailAddresses, primary);
      if (alternate !== undefined && !c.emailAddresses.some((e) => e.value.toLowerCase() === alternate.toLowerCase())) {
        c.emailAddresses.push({ value: alternate, type: 'Personal', isPrimary: c.emailAddresses.length === 0 });
      }
      makePrimary(c.phoneNumbers, phone);
      if (socialLinks) c.socialLinks = socialLinks;
      else {
        // linkedInUrl/githubUrl/websiteUrl are ignored when socialLinks is sent (docs/ashby-api.md §5.3).
        setLink(c.socialLinks, 'LinkedIn', optString(body, 'linkedInUrl'));
        setLink(c.socialLinks, 'GitHub', optString(body, 'githubUrl'));
        setLink(c.socialLinks, 'Website', optString(body, 'websiteUrl'));
      }
      if (sourceId !== undefined) c.sourceId = sourceId;
      if (creditedToUserId !== undefined) c.creditedToUserId = creditedToUserId;
      if (location) c.location = location;
      if (createdAt !== undefined) c.createdAt = createdAt;
      c.updatedAt = now;
    })!;
    if (name !== undefined || primary !== undefined || phone !== undefined) touchApplications(ctx, updated, now);
    return { results: candidateView(updated, ctx.view) };
  },

  'candidate.addTag': (ctx) => {
    const candidate = visibleCandidate(ctx, reqId(ctx.body, 'candidateId'));
    const tagId = reqId(ctx.body, 'tagId');
    if (!ctx.core.store.get('candidateTag', tagId)) throw notFound('candidateTag', tagId);
    if (candidate.tagIds.includes(tagId)) return { results: candidateView(candidate, ctx.view) };
    const now = iso(ctx.core.clock.stamp());
    const updated = ctx.core.store.update<CandidateModel>('candidate', candidate.id, (c) => {
      c.tagIds.push(tagId);
      c.updatedAt = now;
    })!;
    return { results: candidateView(updated, ctx.view) };
  },

  'candidate.createNote': (ctx) => {
    const candidate = visibleCandidate(ctx, reqId(ctx.body, 'candidateId'));
    const content = sanitizeNote(ctx.body.note);
    const isPrivate = optBool(ctx.body, 'isPrivate') ?? false;
    optBool(ctx.body, 'sendNotifications');
    // Private notes need "Allow access to non-offer private fields?" (docs/ashby-api.md §4.3).
    if (isPrivate && !ctx.key.privateFields)
      throw invalidInput(
        'This API key may not create private notes: enable "Allow access to non-offer private fields?" on the key',
      );
    const createdAt = optIsoDate(ctx.body, 'createdAt') ?? iso(ctx.core.clock.stamp());
    const note: NoteModel = {
      id: ctx.core.store.allocateId('note'),
      candidateId: candidate.id,
      createdAt,
      updatedAt: createdAt,
      isPrivate,
      content,
      authorId: actorId(ctx),
    };
    ctx.core.store.insert('note', note as unknown as { id: string });
    ctx.core.store.link('note', candidate.id, note.id);
    return { results: noteView(note, ctx.view) };
  },

  'candidateTag.create': (ctx) => {
    const title = reqString(ctx.body, 'title').trim();
    const { store } = ctx.core;
    // Idempotent by title, ignoring case (docs/ashby-api.md §5.9): the existing tag comes back.
    for (let p = 0; p < store.positions('candidateTag'); p++) {
      const tag = store.atPosition('candidateTag', p);
      if (tag && String(tag.title).toLowerCase() === title.toLowerCase()) return { results: tag };
    }
    const tag = { id: store.allocateId('candidateTag'), title, isArchived: false };
    store.insert('candidateTag', tag);
    return { results: tag };
  },
};
