/**
 * Hand-made Ashby records for the Avro tests: a typical candidate with every custom field value
 * shape of docs/ashby-api.md §5.2, and a typical application.
 */
export const CUSTOM_FIELD_VALUES: Array<Record<string, unknown>> = [
  { id: 'cf000000-0000-4000-8000-000000000001', title: 'Relocates', value: true },
  { id: 'cf000000-0000-4000-8000-000000000002', title: 'Years of experience', value: 7.5 },
  { id: 'cf000000-0000-4000-8000-000000000003', title: 'Notes', isPrivate: true, value: 'Prefers mornings' },
  { id: 'cf000000-0000-4000-8000-000000000004', title: 'Seniority', value: 'senior', valueLabel: 'Senior' },
  {
    id: 'cf000000-0000-4000-8000-000000000005',
    title: 'Languages',
    value: ['ts', 'go'],
    valueLabel: ['TypeScript', 'Go'],
  },
  {
    id: 'cf000000-0000-4000-8000-000000000006',
    title: 'Expected salary',
    value: { value: 120000, currencyCode: 'EUR' },
  },
  {
    id: 'cf000000-0000-4000-8000-000000000007',
    title: 'Team size',
    value: { type: 'number-range', minValue: 3, maxValue: 8 },
  },
  {
    id: 'cf000000-0000-4000-8000-000000000008',
    title: 'Band',
    value: { type: 'compensation-range', minValue: 100000, maxValue: 140000, currencyCode: 'USD', interval: '1 YEAR' },
  },
  { id: 'cf000000-0000-4000-8000-000000000009', title: 'Start date', value: '2025-03-01T00:00:00.000Z' },
];

export const CANDIDATE: Record<string, unknown> = {
  id: '3f0c1c1e-5b7a-4f5e-9a51-2f1b6f0f9a01',
  createdAt: '2025-03-01T10:00:00.000Z',
  updatedAt: '2025-03-02T08:15:00.123Z',
  name: 'Ada Lovelace',
  primaryEmailAddress: { value: 'ada@example.com', type: 'Personal', isPrimary: true },
  emailAddresses: [
    { value: 'ada@example.com', type: 'Personal', isPrimary: true },
    { value: 'ada@work.example', type: 'Work', isPrimary: false },
  ],
  primaryPhoneNumber: { value: '+15550100', type: 'Personal', isPrimary: true },
  phoneNumbers: [{ value: '+15550100', type: 'Personal', isPrimary: true }],
  socialLinks: [{ type: 'LinkedIn', url: 'https://linkedin.com/in/ada' }],
  tags: [{ id: '7a000000-0000-4000-8000-000000000001', title: 'Strong', isArchived: false }],
  position: 'Engineer',
  company: 'Analytical Engines',
  applicationIds: ['9b2d3c4e-1111-4a2b-8c3d-000000000001'],
  fileHandles: [{ id: 'f1000000-0000-4000-8000-000000000001', name: 'cv.pdf', handle: 'eyJoYW5kbGUiOnt9fQ' }],
  customFields: CUSTOM_FIELD_VALUES,
  profileUrl:
    'https://app.ashbyhq.com/candidate-searches/new/right-side/candidates/3f0c1c1e-5b7a-4f5e-9a51-2f1b6f0f9a01',
  source: {
    id: '5a0e0000-0000-4000-8000-000000000001',
    title: 'Applied',
    isArchived: false,
    sourceType: { id: '5a0e0000-0000-4000-8000-000000000002', title: 'Inbound', isArchived: false },
  },
  creditedToUser: null,
  timezone: 'Europe/London',
  location: {
    id: '10c00000-0000-4000-8000-000000000001',
    locationSummary: 'London, UK',
    locationComponents: [{ type: 'City', name: 'London' }],
  },
  fraudStatus: null,
};

export const APPLICATION: Record<string, unknown> = {
  id: '9b2d3c4e-1111-4a2b-8c3d-000000000001',
  createdAt: '2025-03-01T10:00:00.050Z',
  updatedAt: '2025-03-05T09:00:00.000Z',
  candidate: {
    id: '3f0c1c1e-5b7a-4f5e-9a51-2f1b6f0f9a01',
    name: 'Ada Lovelace',
    primaryEmailAddress: { value: 'ada@example.com', type: 'Personal', isPrimary: true },
  },
  status: 'Active',
  customFields: [CUSTOM_FIELD_VALUES[3]!, CUSTOM_FIELD_VALUES[5]!],
  currentInterviewStage: {
    id: '7c1d0000-0000-4000-8000-000000000003',
    title: 'Phone Screen',
    type: 'Active',
    interviewPlanId: '1e2f0000-0000-4000-8000-000000000001',
    orderInInterviewPlan: 3,
    interviewStageGroupId: null,
  },
  source: null,
  creditedToUser: null,
  archiveReason: null,
  job: {
    id: '0a0b0000-0000-4000-8000-000000000001',
    title: 'Senior Engineer',
    locationId: '0c0d0000-0000-4000-8000-000000000001',
    departmentId: '0e0f0000-0000-4000-8000-000000000001',
    brandId: '0f1a0000-0000-4000-8000-000000000001',
  },
  hiringTeam: [
    {
      userId: '0aa00000-0000-4000-8000-000000000001',
      firstName: 'Lin',
      lastName: 'Ng',
      email: 'lin@example.com',
      role: 'Recruiter',
    },
  ],
  appliedViaJobPostingId: '0bb00000-0000-4000-8000-000000000001',
  submitterClientIp: null,
  submitterUserAgent: null,
};

/** The smallest valid value of a schema: nullable fields null, strings 'x', arrays empty. */
export function minimalValue(schema: unknown, named = new Map<string, unknown>()): unknown {
  if (typeof schema === 'string') {
    switch (schema) {
      case 'string':
        return 'x';
      case 'boolean':
        return false;
      case 'int':
      case 'long':
      case 'double':
      case 'float':
        return 0;
      case 'null':
        return null;
      default:
        return minimalValue(named.get(schema) ?? named.get(schema.split('.').pop()!), named);
    }
  }
  if (Array.isArray(schema)) return schema[0] === 'null' ? null : minimalValue(schema[0], named);
  const o = schema as Record<string, unknown>;
  if (o.logicalType === 'timestamp-millis') return new Date(0);
  if (o.logicalType === 'date') return '1970-01-01';
  if (o.logicalType === 'json') return {};
  switch (o.type) {
    case 'record': {
      const full =
        o.namespace && !String(o.name).includes('.') ? `${String(o.namespace)}.${String(o.name)}` : String(o.name);
      named.set(full, o);
      return Object.fromEntries(
        (o.fields as Array<Record<string, unknown>>).map((f) => [f.name, minimalValue(f.type, named)]),
      );
    }
    case 'enum':
      named.set(o.namespace ? `${String(o.namespace)}.${String(o.name)}` : String(o.name), o);
      return (o.symbols as string[])[0];
    case 'array':
      return [];
    default:
      return minimalValue(o.type, named);
  }
}

/**
 * A record schema with every type the contract allows (a recursive record and free-form JSON
 * included), for the direct and raw writer tests; EVERY_TYPE_VALUE fills each field but `extra`.
 */
export const EVERY_TYPE_SCHEMA = {
  type: 'record',
  name: 'Everything',
  namespace: 'test.writers',
  fields: [
    { name: 'i', type: 'int' },
    { name: 'l', type: ['null', 'long'], default: null },
    { name: 'f', type: 'float' },
    { name: 'd', type: 'double' },
    { name: 'b', type: 'boolean' },
    { name: 'e', type: ['null', { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] }], default: null },
    { name: 'day', type: ['null', { type: 'int', logicalType: 'date' }], default: null },
    { name: 'at', type: ['null', { type: 'long', logicalType: 'timestamp-millis' }], default: null },
    { name: 'tags', type: { type: 'array', items: ['null', 'string'] } },
    {
      name: 'child',
      type: [
        'null',
        {
          type: 'record',
          name: 'Child',
          fields: [
            { name: 'name', type: 'string' },
            { name: 'children', type: ['null', { type: 'array', items: 'Child' }], default: null },
          ],
        },
      ],
      default: null,
    },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'extra', type: ['null', { type: 'string', logicalType: 'json' }], default: null },
  ],
};

export const EVERY_TYPE_VALUE: Record<string, unknown> = {
  i: -5,
  l: 2 ** 45 + 3,
  f: 1.25,
  d: -0.1,
  b: true,
  e: 'GREEN',
  day: '2024-02-29',
  at: '2025-03-01T10:00:00.123Z',
  tags: ['ä', null, 'z'.repeat(100)],
  child: { name: 'ok', children: [{ name: 'inner', children: [{ name: 'deeper' }] }] },
  note: '✓'.repeat(70),
};
