import { Type, type Static } from '@sinclair/typebox';
import { Enum, ExtraData, Opt, PostalAddress, Timestamp, Uuid, WorkplaceType, observed } from './common.js';

/** department.list / department.info (docs/ashby-api.md §5.9). */
export const Department = Type.Object({
  id: Uuid,
  name: Type.String(),
  externalName: Opt(Type.String()),
  isArchived: Type.Boolean(),
  parentId: Opt(Uuid),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  extraData: Opt(ExtraData),
});
export type Department = Static<typeof Department>;

/** location.list / location.info, and job.info with expand=location (docs/ashby-api.md §5.4, §5.9). */
export const Location = Type.Object({
  id: Uuid,
  name: Type.String(),
  externalName: Opt(Type.String()),
  isArchived: Type.Boolean(),
  address: Opt(Type.Object({ postalAddress: Opt(PostalAddress) })),
  /** Deprecated by Ashby in favour of workplaceType. */
  isRemote: Opt(Type.Boolean()),
  workplaceType: Opt(WorkplaceType),
  parentLocationId: Opt(Uuid),
  type: Type.Optional(
    Enum(
      ['Location', 'LocationHierarchy'],
      observed('job.info expand=location lists it; location.info does not', 'notInSpec'),
    ),
  ),
  extraData: Opt(ExtraData),
});
export type Location = Static<typeof Location>;
