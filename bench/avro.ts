import { loadavg } from 'node:os';
import type avsc from 'avsc';
import { createSerde, loadContract, RegistryClient, toStreamRecord, type Serde } from '../src/avro/index.js';
import { figure, ResultRecorder } from './lib/results.js';

/**
 * `npm run bench -- avro`: records per second through our serde (header + validation-on-failure
 * + encode; framing check + schema lookup + decode) against avsc's bare toBuffer/fromBuffer on
 * the same type, for a typical candidate and application, in both wire formats. `encode` is the
 * synchronous encoder of `valueEncoder` (the source's per-record path), `decode` is
 * `decodeValue`; the target applies to those. Shown for context, not targeted: `encodeValue`
 * (one promise per record, for one-off encodes) and `await alone` (avsc's own decode behind a
 * promise: the price of a promise-returning call, which decodeValue pays too). Each repetition times baseline
 * and ours interleaved in chunks of a few milliseconds (ratePair); rates are records per second of
 * process CPU time (not wall time, so a chunk that loses the core to another process on the
 * shared machine is not counted as slow); the ratio printed is the median of the per-repetition
 * ratios. Target: ratio ≥ 0.95.
 */
const REPETITIONS = 9;
const TARGET = 0.95;
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

/** Microseconds of CPU this process has used (every thread: GC helpers count too). */
function cpuNow(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/**
 * One repetition: CHUNKS alternations of CALLS baseline calls and CALLS calls of ours, the CPU
 * time of each side summed; returns both rates (calls per CPU second). Alternating in chunks of
 * a few milliseconds puts both sides under the same load from the rest of the machine.
 */
const CHUNKS = 24;
const CALLS = 500;

async function ratePair(base: () => unknown, ours: () => unknown, oursAsync: boolean): Promise<[number, number]> {
  let tb = 0;
  let to = 0;
  for (let c = 0; c < CHUNKS; c++) {
    let t = cpuNow();
    for (let i = 0; i < CALLS; i++) base();
    let now = cpuNow();
    tb += now - t;
    t = now;
    if (oursAsync) for (let i = 0; i < CALLS; i++) await ours();
    else for (let i = 0; i < CALLS; i++) ours();
    now = cpuNow();
    to += now - t;
  }
  return [(CHUNKS * CALLS) / (tb / 1e6), (CHUNKS * CALLS) / (to / 1e6)];
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
  /** Not a serde path the target is about: the promise-per-record API, and the cost of a promise alone. */
  context?: boolean;
}

interface Series {
  base: number[];
  ours: number[];
  ratio: number[];
}

async function measure(label: string, serde: Serde, topic: string, type: avsc.Type, value: unknown): Promise<Row[]> {
  const framed = await serde.encodeValue(topic, type, value);
  const encoder = await serde.valueEncoder(topic, type);
  const body = type.toBuffer(value);
  const pairs: Array<[Series, () => unknown, () => unknown, boolean]> = [];

  const series = (): Series => ({ base: [], ours: [], ratio: [] });
  const enc = series();
  const encAsync = series();
  const dec = series();
  const awaitOnly = series();
  const push = (s: Series, b: number, o: number): void => {
    s.base.push(b);
    s.ours.push(o);
    s.ratio.push(o / b);
  };
  pairs.push([enc, () => type.toBuffer(value), () => encoder(value), false]);
  pairs.push([encAsync, () => type.toBuffer(value), () => serde.encodeValue(topic, type, value), true]);
  pairs.push([dec, () => type.fromBuffer(body), () => serde.decodeValue(topic, framed, type), true]);
  // Context: what one promise per call costs by itself (avsc's own decode, awaited).
  pairs.push([awaitOnly, () => type.fromBuffer(body), () => Promise.resolve(type.fromBuffer(body)), true]);
  // Warm-up (JIT), then the repetitions.
  for (const [, b, o, a] of pairs) await ratePair(b, o, a);
  for (let r = 0; r < REPETITIONS; r++) {
    for (const [target, b, o, a] of pairs) {
      const [rb, ro] = await ratePair(b, o, a);
      push(target, rb, ro);
    }
  }
  const row = (what: string, s: Series): Row => ({
    what: `${label} ${what}`,
    baseline: median(s.base),
    ours: median(s.ours),
    ratio: median(s.ratio),
    ratios: s.ratio,
  });
  return [
    row('encode', enc),
    row('decode', dec),
    { ...row('encodeValue', encAsync), context: true },
    { ...row('await alone', awaitOnly), context: true },
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
  `avro serde vs avsc toBuffer/fromBuffer (same type), ${REPETITIONS} repetitions, medians of CPU-time rates; target ratio >= ${TARGET}; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}\n`,
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
  `${'what'.padEnd(38)} ${'avsc rec/s'.padStart(12)} ${'ours rec/s'.padStart(12)} ${'ratio'.padStart(7)}\n`,
);
for (const r of rows) {
  const flag = r.context ? '  (context)' : r.ratio >= TARGET ? '' : '  below target';
  process.stdout.write(
    `${r.what.padEnd(38)} ${Math.round(r.baseline).toLocaleString('en-US').padStart(12)} ${Math.round(r.ours).toLocaleString('en-US').padStart(12)} ${r.ratio.toFixed(2).padStart(7)}${flag}\n`,
  );
}
// The target is about the per-record paths: the source's synchronous encoder, and decodeValue.
const worst = rows.filter((r) => !r.context).reduce((a, b) => (b.ratio < a.ratio ? b : a));
process.stdout.write(`worst ratio ${worst.ratio.toFixed(2)}: ${worst.what.replace(/ +/g, ' ')} (target ${TARGET})\n`);
const id = (r: Row): string => r.what.trim().replace(/ +/g, '.').replace(/-/g, '_');
recorder.add(
  figure('avro.worst_ratio', 'Serde ÷ bare avsc, worst case (records/s)', 'ratio', worst.ratios, {
    op: '>=',
    value: TARGET,
  }),
  ...rows.map((r) => figure(`avro.${id(r)}`, `Serde ÷ bare avsc, ${r.what.replace(/ +/g, ' ')}`, 'ratio', r.ratios)),
);
recorder.write();
