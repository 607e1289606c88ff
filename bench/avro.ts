import type avsc from 'avsc';
import { createSerde, loadContract, RegistryClient, toStreamRecord, type Serde } from '../src/avro/index.js';
import { figure, ResultRecorder } from './lib/results.js';

/**
 * `npm run bench -- avro`: records per second through our serde (header + validation-on-failure
 * + encode; framing check + schema lookup + decode) against avsc's bare toBuffer/fromBuffer on
 * the same type, for a typical candidate and application, in both wire formats. Each
 * repetition times baseline and ours back to back; the ratio printed is the median of the
 * per-repetition ratios (the machine is shared and noisy). Target: ratio ≥ 0.8.
 */
const REPETITIONS = 7;
const SLICE_MS = 250;
const TARGET = 0.8;
const REGISTRY_URL = process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';

const customFields = [
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
  { id: 'cf000000-0000-4000-8000-000000000001', title: 'Relocates', value: true },
];

const CANDIDATE = {
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
  fileHandles: [
    {
      id: 'f1000000-0000-4000-8000-000000000001',
      name: 'cv.pdf',
      handle: 'eyJoYW5kbGUiOnsidHlwZSI6IlJlc3VtZUZpbGUifX0',
    },
  ],
  customFields,
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
  fraudStatus: null,
};

const APPLICATION = {
  id: '9b2d3c4e-1111-4a2b-8c3d-000000000001',
  createdAt: '2025-03-01T10:00:00.050Z',
  updatedAt: '2025-03-05T09:00:00.000Z',
  candidate: {
    id: '3f0c1c1e-5b7a-4f5e-9a51-2f1b6f0f9a01',
    name: 'Ada Lovelace',
    primaryEmailAddress: { value: 'ada@example.com', type: 'Personal', isPrimary: true },
  },
  status: 'Active',
  customFields: customFields.slice(0, 2),
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

/** Runs `fn` repeatedly for about SLICE_MS and returns calls per second. */
function rateSync(fn: () => unknown): number {
  let n = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(SLICE_MS) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

async function rateAsync(fn: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(SLICE_MS) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 200; i++) await fn();
    n += 200;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface Row {
  what: string;
  baseline: number;
  ours: number;
  ratio: number;
  ratios: number[];
}

async function measure(label: string, serde: Serde, topic: string, type: avsc.Type, value: unknown): Promise<Row[]> {
  const framed = await serde.encodeValue(topic, type, value);
  const body = type.toBuffer(value);
  // Warm up both paths so the JIT has compiled them before timing.
  rateSync(() => type.toBuffer(value));
  rateSync(() => type.fromBuffer(body));
  await rateAsync(() => serde.encodeValue(topic, type, value));
  await rateAsync(() => serde.decodeValue(topic, framed, type));

  const enc = { base: [] as number[], ours: [] as number[], ratio: [] as number[] };
  const dec = { base: [] as number[], ours: [] as number[], ratio: [] as number[] };
  for (let r = 0; r < REPETITIONS; r++) {
    const b = rateSync(() => type.toBuffer(value));
    const o = await rateAsync(() => serde.encodeValue(topic, type, value));
    enc.base.push(b);
    enc.ours.push(o);
    enc.ratio.push(o / b);
    const db = rateSync(() => type.fromBuffer(body));
    const dO = await rateAsync(() => serde.decodeValue(topic, framed, type));
    dec.base.push(db);
    dec.ours.push(dO);
    dec.ratio.push(dO / db);
  }
  return [
    {
      what: `${label} encode`,
      baseline: median(enc.base),
      ours: median(enc.ours),
      ratio: median(enc.ratio),
      ratios: enc.ratio,
    },
    {
      what: `${label} decode`,
      baseline: median(dec.base),
      ours: median(dec.ours),
      ratio: median(dec.ratio),
      ratios: dec.ratio,
    },
  ];
}

async function registryReachable(): Promise<boolean> {
  const client = new RegistryClient({ url: REGISTRY_URL, timeoutMs: 2000 });
  try {
    await client.getCompatibility('ashby-kafka-bench-probe');
    return true;
  } catch {
    return false;
  } finally {
    await client.close();
  }
}

const recorder = new ResultRecorder('avro');
const contract = loadContract();
const samples = [
  { name: 'candidate', type: contract.streamType('candidates'), value: toStreamRecord('candidates', CANDIDATE) },
  {
    name: 'application',
    type: contract.streamType('applications'),
    value: toStreamRecord('applications', APPLICATION),
  },
];
const serdes: Array<{ mode: string; serde: Serde }> = [
  { mode: 'single-object', serde: createSerde({ mode: 'single-object' }, contract) },
];
if (await registryReachable()) {
  serdes.push({
    mode: 'confluent',
    serde: createSerde({ mode: 'confluent', registry: { url: REGISTRY_URL } }, contract),
  });
} else {
  process.stdout.write(`note: no schema registry at ${REGISTRY_URL}; measuring single-object mode only\n`);
}

process.stdout.write(
  `avro serde vs avsc toBuffer/fromBuffer (same type), ${REPETITIONS} repetitions, medians; target ratio >= ${TARGET}\n`,
);
for (const s of samples) process.stdout.write(`  ${s.name}: ${s.type.toBuffer(s.value).length} bytes of Avro\n`);
const rows: Row[] = [];
const topic = `bench.avro.${Date.now().toString(36)}`;
for (const { mode, serde } of serdes) {
  for (const s of samples)
    rows.push(
      ...(await measure(`${mode.padEnd(13)} ${s.name.padEnd(11)}`, serde, `${topic}.${s.name}`, s.type, s.value)),
    );
  await serde.close();
}
process.stdout.write(
  `${'what'.padEnd(34)} ${'avsc rec/s'.padStart(12)} ${'ours rec/s'.padStart(12)} ${'ratio'.padStart(7)}\n`,
);
for (const r of rows) {
  const flag = r.ratio >= TARGET ? '' : '  below target';
  process.stdout.write(
    `${r.what.padEnd(34)} ${Math.round(r.baseline).toLocaleString('en-US').padStart(12)} ${Math.round(r.ours).toLocaleString('en-US').padStart(12)} ${r.ratio.toFixed(2).padStart(7)}${flag}\n`,
  );
}
process.stdout.write(`worst ratio ${Math.min(...rows.map((r) => r.ratio)).toFixed(2)} (target ${TARGET})\n`);

const worst = rows.reduce((a, b) => (b.ratio < a.ratio ? b : a));
recorder.add(
  figure(
    'avro.worst_ratio',
    `Serde ÷ bare avsc, worst case (${worst.what.replace(/\s+/g, ' ')})`,
    'ratio',
    worst.ratios,
    {
      op: '>=',
      value: TARGET,
    },
  ),
  ...rows.map((r) => {
    const what = r.what.replace(/\s+/g, ' ').trim();
    return figure(`avro.${what.replace(/ /g, '_')}`, `Serde ÷ bare avsc, ${what}`, 'ratio', r.ratios);
  }),
);
recorder.write();
