import type { CandidateModel, NoteModel } from '../data/models.js';
import type { UserModel } from '../data/org.js';
import type { ViewContext } from './context.js';

/** Wire shapes of candidates and notes (docs/ashby-api.md §5.3; field order as Ashby sends it). */

export const PROFILE_URL_PREFIX = 'https://app.ashbyhq.com/candidate-searches/new/right-side/candidates/';

/**
 * Built as one literal of a fixed shape (fast for V8); unset optional fields are `undefined`,
 * which JSON leaves out, so they are absent on the wire as Ashby has them (docs/ashby-api.md §5.1).
 */
export function candidateView(c: CandidateModel, ctx: ViewContext): Record<string, unknown> {
  const tags: unknown[] = [];
  for (const tagId of c.tagIds) {
    const tag = ctx.lookup<{ id: string; title: string; isArchived: boolean }>('candidateTag', tagId);
    if (tag) tags.push({ id: tag.id, title: tag.title, isArchived: tag.isArchived });
  }
  return {
    id: c.id,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    name: c.name,
    primaryEmailAddress: c.emailAddresses.find((e) => e.isPrimary),
    emailAddresses: c.emailAddresses,
    primaryPhoneNumber: c.phoneNumbers.find((p) => p.isPrimary),
    phoneNumbers: c.phoneNumbers,
    socialLinks: c.socialLinks,
    tags,
    position: c.position,
    company: c.company,
    school: c.school,
    applicationIds: ctx.visibleApplicationIds(c),
    resumeFileHandle: c.resumeFileHandle,
    fileHandles: c.fileHandles,
    customFields: c.customFields.length ? ctx.customFields(c.customFields) : [],
    profileUrl: PROFILE_URL_PREFIX + c.id,
    source: ctx.source(c.sourceId),
    creditedToUser: ctx.user(c.creditedToUserId),
    timezone: c.timezone,
    location: c.location,
    fraudStatus: c.fraudStatus,
  };
}

export function noteView(n: NoteModel, ctx: ViewContext): Record<string, unknown> {
  const author = ctx.store.get<UserModel>('user', n.authorId);
  return {
    id: n.id,
    createdAt: n.createdAt,
    isPrivate: n.isPrivate,
    content: n.content,
    author: author
      ? { id: author.id, firstName: author.firstName, lastName: author.lastName, email: author.email }
      : { id: n.authorId, firstName: 'Deleted', lastName: 'User' },
  };
}
