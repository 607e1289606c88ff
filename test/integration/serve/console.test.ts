import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { PACKAGE_ROOT } from '../../../src/package-info.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { loadContract } from '../../../src/avro/contract.js';
import { createSerde } from '../../../src/avro/serde/create-serde.js';
import { KafkaAdmin } from '../../../src/kafka/admin.js';
import { KafkaProducer } from '../../../src/kafka/producer.js';
import { createCommandMapper } from '../../../src/sink/operations/command-mapping.js';
import { storedIds } from '../source/helpers.js';
import { REGISTRY_URL, kafkaTestConfig, uniqueName } from '../../support/stack.js';
import {
  MASTER_KEY,
  TOKEN,
  api,
  groupSettings,
  startWorker,
  stopWorker,
  waitFor,
  type GroupSettings,
  type WorkerProcess,
} from './helpers.js';

/**
 * The web console (docs/console.md) in a real headless browser (Debian's chromium driven by
 * puppeteer-core) against a real worker, broker, registry and sandbox. Each step is done the
 * way a user does it, by typing and clicking; the screenshots in docs/console/ are taken here.
 * An axe-core check runs on every page: no serious or critical violation.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(PACKAGE_ROOT, 'docs', 'console');
const AXE = readFileSync(join(PACKAGE_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

const secret = (name: string): string => `sk_${uniqueName(name).replace(/\W/g, '')}`;
const KEYS = {
  full: { secret: secret('full'), permissions: ['*'] },
  readonly: { secret: secret('readonly'), permissions: ['*Read'] },
  limited: { secret: secret('limited'), permissions: ['candidatesRead', 'jobsRead'] },
};

let group: GroupSettings;
let sandbox: RunningSandbox;
let worker: WorkerProcess;
let browser: Browser;
let page: Page;
let prefix: string;
const PIPELINE = 'console-source';
/** Uncaught errors in the page, for the message of a failed step. */
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no chromium at ${CHROMIUM}: apt-get install chromium (scripts/setup.sh), or set CHROMIUM_PATH`);
  group = groupSettings(4);
  prefix = `${group.prefix}.console.`;
  sandbox = await startSandbox({
    seed: 15,
    scale: 200,
    pageSize: { maxPerPage: 25 },
    keys: Object.entries(KEYS).map(([name, k]) => ({
      name,
      title: `Console ${name}`,
      secret: k.secret,
      permissions: k.permissions,
      // The read-only key may not see confidential jobs (the sandbox's job 2 always is one).
      confidential: name !== 'readonly',
      privateFields: true,
    })),
  });
  worker = await startWorker('w1', group);
  await waitFor('the worker ready', async () => ((await fetch(`${worker.url}/readyz`)).ok ? true : undefined), 60_000);
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
    defaultViewport: { width: 1280, height: 800 },
  });
  page = await browser.newPage();
  page.on('dialog', (d) => void d.accept());
  page.on('pageerror', (err) => void pageErrors.push(String(err)));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (worker) await stopWorker(worker);
  await sandbox?.close();
}, 60_000);

async function shot(name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

/** axe-core on the page as it is: violations of impact serious or critical, by rule and element. */
async function seriousViolations(): Promise<string[]> {
  await page.evaluate(AXE);
  const found = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`,
  )) as string[];
  return found;
}

async function textOf(selector: string): Promise<string> {
  return page.$eval(selector, (el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());
}

async function waitText(selector: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return waitFor(
    `${selector} to match ${pattern}`,
    async () => {
      const t = await textOf(selector).catch(() => '');
      return pattern.test(t) ? t : undefined;
    },
    timeoutMs,
    250,
  );
}

async function tab(label: string): Promise<void> {
  await page.click(`nav ::-p-text(${label})`);
  await page.waitForSelector(`main h1::-p-text(${label === 'New pipeline' ? 'New pipeline' : label})`);
}

/** Pages load their data after their heading: wait for the element, then click it. */
async function clickWhenShown(selector: string): Promise<void> {
  const el = await page.waitForSelector(selector, { timeout: 30_000 }).catch(async (err: unknown) => {
    throw new Error(
      `${String(err)}; the page shows: ${await textOf('main').catch(() => '(nothing)')}; errors: ${pageErrors.join(' | ')}`,
    );
  });
  await el!.click();
}

/** Replaces a field's whole text (a textarea too, where a triple click selects one line only). */
async function replaceText(selector: string, text: string): Promise<void> {
  await page.focus(selector);
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  await page.type(selector, text);
}

async function typeInto(selector: string, text: string): Promise<void> {
  await page.click(selector, { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, text);
}

/** Nothing secret left where a page keeps things: the DOM (attributes and input values), storage, the URL. */
async function expectNoSecretInPage(secrets: string[]): Promise<void> {
  const html = await page.content();
  const values = (await page.evaluate(
    '[...document.querySelectorAll("input, textarea, select")].map((e) => e.value).join("\\n")',
  )) as string;
  const storage = (await page.evaluate(
    'JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })',
  )) as string;
  for (const s of secrets) {
    expect(html).not.toContain(s);
    expect(values).not.toContain(s);
    expect(page.url()).not.toContain(s);
  }
  expect(storage).toBe('{}{}');
}

describe('web console', () => {
  it('signs in with the keyboard; the token is kept in memory only', async () => {
    await page.goto(`${worker.url}/ui/`);
    await page.waitForSelector('#token');
    await shot('sign-in');
    expect(await seriousViolations()).toEqual([]);
    // Keyboard only: focus the field, type, Enter.
    await page.focus('#token');
    await page.keyboard.type('not-the-token');
    await page.keyboard.press('Enter');
    await waitText('[role=alert]', /SERVE_UNAUTHORIZED/);
    await page.focus('#token');
    await page.keyboard.type(TOKEN);
    await page.keyboard.press('Enter');
    await page.waitForSelector('main h1::-p-text(Pipelines)');
    await expectNoSecretInPage([TOKEN, MASTER_KEY]);
    // The tabs are buttons in the tab order.
    await page.focus('nav button');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('main h1::-p-text(Credentials)');
  });

  it('adds credentials through a password field: each is tested at once and never shown again', async () => {
    await tab('Credentials');
    for (const [name, k] of Object.entries(KEYS)) {
      expect(await page.$eval('#cred-key', (el) => el.getAttribute('type'))).toBe('password');
      await typeInto('#cred-name', name);
      await typeInto('#cred-url', sandbox.url);
      await typeInto('#cred-key', k.secret);
      await page.click('form button[type=submit]');
      await page.waitForSelector(`article[data-credential="${name}"]`, { timeout: 30_000 });
      await waitText('.notice', new RegExp(`${name}: key tested and stored`));
    }
    // A key Ashby refuses is not stored.
    await typeInto('#cred-name', 'wrong');
    await typeInto('#cred-url', sandbox.url);
    await typeInto('#cred-key', 'sk_not_a_key_at_all');
    await page.click('form button[type=submit]');
    await waitText('form [role=alert]', /ASHBY_INVALID_KEY: /);
    expect(await page.$('article[data-credential="wrong"]')).toBeNull();
    await typeInto('#cred-name', '');
    await expectNoSecretInPage([TOKEN, ...Object.values(KEYS).map((k) => k.secret)]);
    const listed = (await api(worker.url, 'GET', '/credentials')).body as Array<{ name: string }>;
    expect(listed.map((c) => c.name).sort()).toEqual(['full', 'limited', 'readonly']);
  });

  it("shows a read-only key's scopes as a grid and its write commands greyed out with the missing scope", async () => {
    const card = 'article[data-credential="readonly"]';
    expect(await page.$eval(`${card} td[aria-label="Candidates read: yes"]`, (el) => el.textContent)).toBe('✓');
    expect(await page.$eval(`${card} td[aria-label="Candidates write: no"]`, (el) => el.textContent)).toBe('✗');
    await page.click(`${card} details summary`);
    const create = `${card} li[data-command="candidate.create"]`;
    expect(await page.$eval(create, (el) => el.className)).toBe('denied');
    expect(await textOf(create)).toMatch(/needs .*candidates:write/);
    // The full key may send it.
    await page.click('article[data-credential="full"] details summary');
    expect(
      await page.$eval('article[data-credential="full"] li[data-command="candidate.create"]', (el) => el.className),
    ).toBe('');
    // Confidential-jobs access, as each key's test found it.
    expect(await textOf(`${card} .confidential`)).toMatch(/^not visible: .* \(none of the \d+ jobs this key can list/);
    expect(await textOf('article[data-credential="full"] .confidential')).toMatch(
      /^visible: confidential jobs and their applications are read \(job.list shows confidential jobs\)$/,
    );
    await page.$eval(card, (el) => el.scrollIntoView());
    await shot('credentials-readonly');
    expect(await seriousViolations()).toEqual([]);
  });

  it('creates a source pipeline from the schema form: unreadable streams greyed out, YAML shown', async () => {
    await tab('New pipeline');
    await page.waitForSelector('#source-mode');
    // Defaults and descriptions come from GET /schemas/pipeline.
    expect(await page.$eval('#source-mode', (el) => (el as unknown as { value: string }).value)).toBe('incremental');
    expect(await textOf('#source-mode-help')).toContain('sync tokens');
    await page.type('#p-name', PIPELINE);
    await page.select('#p-credential', 'limited');
    expect(await page.$eval('#p-base_url', (el) => (el as unknown as { value: string }).value)).toBe(sandbox.url);
    // The limited key reads Candidates and Jobs only: other modules' streams are greyed out.
    expect(await page.$eval('#stream-departments', (el) => (el as unknown as { disabled: boolean }).disabled)).toBe(
      true,
    );
    expect(await textOf('li[data-stream="departments"]')).toContain('needs organization:read');
    expect(await page.$eval('#stream-candidates', (el) => (el as unknown as { disabled: boolean }).disabled)).toBe(
      false,
    );
    await page.click('#stream-candidates');
    await page.click('#stream-jobs');
    await typeInto('#source-topic_prefix', prefix);
    await page.click('#source-exactly_once');
    const yaml = await textOf('[data-testid=yaml-preview]');
    expect(yaml).toContain(`topic_prefix: ${prefix}`);
    expect(yaml).toContain('exactly_once: true');
    expect(yaml).toContain('credential: limited');
    // A problem is reported by the server's validation, with its path.
    await typeInto('#source-interval', 'soon');
    await page.click('button::-p-text(Check)');
    await waitText('form [role=alert]', /source\.interval/);
    await typeInto('#source-interval', '1h');
    await page.click('button::-p-text(Check)');
    await waitText('form .notice', /The config is valid/);
    await shot('new-pipeline', true);
    expect(await seriousViolations()).toEqual([]);
    await page.click('button::-p-text(Create pipeline)');
    await page
      .waitForSelector('main h1::-p-text(Pipelines)')
      .catch(async () => expect(await textOf('form [role=alert]').catch(() => 'no error shown')).toBe('created'));
    const stored = (await api(worker.url, 'GET', `/pipelines/${PIPELINE}`)).body;
    expect(stored.config).toEqual({
      ashby: { credential: 'limited', base_url: sandbox.url },
      source: {
        streams: ['candidates', 'jobs'],
        topic_prefix: prefix,
        mode: 'incremental',
        exactly_once: true,
        interval: '1h',
      },
    });
  });

  it('imports a pipeline file into the form', async () => {
    await tab('New pipeline');
    await page.waitForSelector('#source-mode');
    await page.type(
      '#yaml-in',
      'ashby:\n  credential: full\nsource:\n  streams: [jobs]\n  topic_prefix: imported.\n  mode: full_refresh\n',
    );
    await page.click('button::-p-text(Import)');
    await waitText('form .notice', /^Imported\.$/);
    expect(await page.$eval('#source-mode', (el) => (el as unknown as { value: string }).value)).toBe('full_refresh');
    expect(await page.$eval('#p-credential', (el) => (el as unknown as { value: string }).value)).toBe('full');
    expect(await page.$eval('#stream-jobs', (el) => (el as unknown as { checked: boolean }).checked)).toBe(true);
    expect(await textOf('[data-testid=yaml-preview]')).toContain('topic_prefix: imported.');
  });

  it('shows the first pass finish with its counts, on the overview and the pipeline page', async () => {
    const candidates = storedIds(sandbox.engine, 'candidate').size;
    const jobs = storedIds(sandbox.engine, 'job').size;
    await tab('Pipelines');
    const row = `tr[data-pipeline="${PIPELINE}"]`;
    await waitText(`${row} .last-pass`, /^ok, \d+ records$/, 120_000);
    expect(await textOf(`${row} .last-pass`)).toBe(`ok, ${candidates + jobs} records`);
    expect(await textOf(`${row} .state`)).toBe('RUNNING');
    expect(await textOf(`${row} td:nth-child(4)`)).toBe('w1');
    expect(await textOf(`${row} .freshness`)).toMatch(/ago$/);
    // The sparkline: records per minute over the last hour, from GET /pipelines/{name}/history.
    await waitFor(
      'the sparkline to count the first pass',
      async () => {
        const label = await page.$eval(`${row} .rate svg`, (el) => el.getAttribute('aria-label')).catch(() => '');
        return label?.includes(`: ${candidates + jobs} in the last hour`) ? true : undefined;
      },
      20_000,
      250,
    );
    await shot('pipelines');
    expect(await seriousViolations()).toEqual([]);
    await page.click(`${row} th button`);
    await page.waitForSelector(`main h1::-p-text(Pipeline ${PIPELINE})`);
    await page.waitForSelector('tr[data-stream="candidates"]');
    expect(await textOf('tr[data-stream="candidates"] td:nth-child(4)')).toBe(String(candidates));
    expect(await textOf('tr[data-stream="jobs"] td:nth-child(4)')).toBe(String(jobs));
    // Charts over the last hour: records per stream, pages, calls with 429s and retries.
    await waitText('figure[data-chart="records"] [data-series="candidates"] strong', new RegExp(`^${candidates}$`));
    expect(await textOf('figure[data-chart="records"] [data-series="jobs"] strong')).toBe(String(jobs));
    expect(Number(await textOf('figure[data-chart="pages"] [data-series="pages"] strong'))).toBeGreaterThan(0);
    const calls = (await api(worker.url, 'GET', `/pipelines/${PIPELINE}/history`)).body.minutes.reduce(
      (n: number, m: { calls: number }) => n + m.calls,
      0,
    );
    expect(calls).toBeGreaterThan(0);
    expect(await textOf('figure[data-chart="calls"] [data-series="calls"] strong')).toBe(String(calls));
    await shot('pipeline', true);
    expect(await seriousViolations()).toEqual([]);
  }, 180_000);

  it('pauses and resumes it', async () => {
    await tab('Pipelines');
    const row = `tr[data-pipeline="${PIPELINE}"]`;
    await clickWhenShown(`button[aria-label="Pause ${PIPELINE}"]`);
    await waitText(`${row} .state`, /^PAUSED$/, 60_000);
    expect((await api(worker.url, 'GET', `/pipelines/${PIPELINE}/status`)).body.state).toBe('PAUSED');
    await page.waitForSelector(`button[aria-label="Resume ${PIPELINE}"]`);
    await shot('pipelines-paused');
    await clickWhenShown(`button[aria-label="Resume ${PIPELINE}"]`);
    await waitText(`${row} .state`, /^RUNNING$/, 60_000);
    expect((await api(worker.url, 'GET', `/pipelines/${PIPELINE}/status`)).body.state).toBe('RUNNING');
  }, 150_000);

  it('refuses to delete a credential while a pipeline uses it, and rotates its key', async () => {
    await tab('Credentials');
    const card = 'article[data-credential="limited"]';
    await waitText(`${card} .used-by`, new RegExp(`^${PIPELINE}$`));
    await page.click(`button[aria-label="Delete limited"]`);
    await waitText('.notice', /SERVE_CREDENTIAL_IN_USE/);
    expect(await page.$(card)).not.toBeNull();
    await page.click('button[aria-label="Rotate limited"]');
    expect(await page.$eval('#rotate-limited', (el) => el.getAttribute('type'))).toBe('password');
    await page.type('#rotate-limited', KEYS.limited.secret);
    await page.click(`${card} button::-p-text(Test and store)`);
    await waitText('.notice', /limited: new key tested and stored/);
    const cred = (await api(worker.url, 'GET', '/credentials/limited')).body;
    expect(cred.rotated_at).toEqual(expect.any(String));
    await expectNoSecretInPage([TOKEN, ...Object.values(KEYS).map((k) => k.secret)]);
    // The unused one goes.
    await page.click(`button[aria-label="Delete full"]`);
    await waitText('.notice', /full deleted/);
    expect((await api(worker.url, 'GET', '/credentials/full')).status).toBe(404);
    await page.$eval('article[data-credential="limited"]', (el) => el.scrollIntoView());
    await shot('credentials');
  });
  it('finds dead-lettered commands on the sink page, re-sends them fixed, and each applies exactly once', async () => {
    const SINK = 'console-sink';
    const topic = uniqueName('console.candidates');
    const names = {
      dlq: uniqueName('console.dlq'),
      results: uniqueName('console.results'),
      ledger: uniqueName('console.ledger'),
    };
    const admin = KafkaAdmin.create(kafkaTestConfig());
    await admin.ensureTopics([{ name: topic, partitions: 1, replicationFactor: 1 }]);
    admin.close();
    expect(
      (await api(worker.url, 'POST', '/credentials', { name: 'writer', key: KEYS.full.secret, base_url: sandbox.url }))
        .status,
    ).toBe(201);
    const created = await api(worker.url, 'POST', '/pipelines', {
      name: SINK,
      config: {
        ashby: { credential: 'writer', base_url: sandbox.url },
        destination: {
          topics: [{ topic, entity: 'candidate' }],
          value_format: 'avro',
          dead_letter_topic: names.dlq,
          results_topic: names.results,
          ledger_topic: names.ledger,
        },
      },
    });
    expect(created.status).toBe(201);
    await waitFor(
      'the sink running',
      async () =>
        (await api(worker.url, 'GET', `/pipelines/${SINK}/status`)).body.state === 'RUNNING' ? true : undefined,
      60_000,
    );
    // Two commands that dead-letter, in Avro as a producer writes them: a create without its
    // required name (COMMAND_INVALID), and one Ashby refuses once (ASHBY_API_ERROR).
    const ada = `ada.${group.prefix}@example.com`.replace(/[^\w.@-]/g, '');
    const grace = `grace.${group.prefix}@example.com`.replace(/[^\w.@-]/g, '');
    const contract = loadContract();
    const mapper = createCommandMapper(contract);
    const serde = createSerde({ mode: 'confluent', registry: { url: REGISTRY_URL } }, contract);
    const producer = await KafkaProducer.connect({ config: kafkaTestConfig() });
    sandbox.admin.forceNext('candidate.create', 1, {
      errorCode: 'invalid_input',
      message: 'Ashby is having a bad day',
    });
    try {
      for (const [key, command] of [
        ['ada', { operation: 'create', email: ada, idempotencyKey: `console-ada-${group.prefix}` }],
        [
          'grace',
          { operation: 'create', name: 'Grace Hopper', email: grace, idempotencyKey: `console-grace-${group.prefix}` },
        ],
      ] as const) {
        const value = await serde.encodeValue(
          topic,
          contract.commandType('candidate'),
          mapper.parseJsonCommand('candidate', command),
        );
        await producer.send({ topic, key, value });
      }
    } finally {
      await producer.close();
      await serde.close();
    }
    const creates = (email: string): number =>
      sandbox.admin
        .callLog({ path: '/candidate.create' })
        .filter((c) => c.status === 200 && c.errorCode === null && (c.body as { email?: unknown }).email === email)
        .length;

    await tab('Pipelines');
    await clickWhenShown(`tr[data-pipeline="${SINK}"] th button`);
    await page.waitForSelector(`main h1::-p-text(Pipeline ${SINK})`);
    const listed = await waitFor(
      'two dead letters',
      async () => {
        const b = (await api(worker.url, 'GET', `/pipelines/${SINK}/dead-letters`)).body;
        return b.dead_letters?.length === 2
          ? (b.dead_letters as Array<{ id: string; key: string; error: { code: string } }>)
          : undefined;
      },
      60_000,
    );
    const byKey = Object.fromEntries(listed.map((d) => [d.key, d]));
    expect(byKey.ada!.error.code).toBe('COMMAND_INVALID');
    expect(byKey.grace!.error.code).toBe('ASHBY_API_ERROR');
    const adaRow = `tr[data-dead-letter="${byKey.ada!.id}"]`;
    await waitText(`${adaRow} .dl-error`, /^COMMAND_INVALID .*field name is required for operation create/);
    expect(await textOf(`${adaRow} td:nth-child(2)`)).toBe('candidate.create key ada');
    expect(await textOf(`${adaRow} td:nth-child(5)`)).toMatch(
      new RegExp(`^${topic.replace(/\./g, '\\.')} \\[0\\] @\\d+$`),
    );
    // Commands by outcome and consumer lag, from the status and GET …/state.
    await waitText('dd[data-outcome="dead_lettered"]', /^2$/);
    await waitText('[data-testid=lag]', /^0$/);

    // Open the first, fix it (the decoded Avro command, as JSON), re-send it.
    await page.click(`button[aria-label="Open dead letter ${byKey.ada!.id}"]`);
    const editor = `#dl-edit-${byKey.ada!.id}`;
    await page.waitForSelector(editor);
    const shown = JSON.parse(await page.$eval(editor, (el) => (el as unknown as { value: string }).value));
    expect(shown).toEqual({ operation: 'create', email: ada, idempotencyKey: `console-ada-${group.prefix}` });
    // "What to do" comes from docs/troubleshooting.md.
    expect(await textOf('form.dl-editor [data-help="COMMAND_INVALID"]')).toContain('Fix it and replay it');
    // A fix that is still wrong is refused by the worker, with the field.
    await replaceText(editor, JSON.stringify({ operation: 'create', email: ada, nmae: 'Ada Lovelace' }));
    await page.click('form.dl-editor button[type=submit]');
    await waitText('form.dl-editor [role=alert]', /SERVE_BAD_REQUEST: the edited command is not valid/);
    await replaceText(editor, JSON.stringify({ operation: 'create', name: 'Ada Lovelace', email: ada }, null, 2));
    await shot('dead-letter', true);
    expect(await seriousViolations()).toEqual([]);
    await page.click('form.dl-editor button[type=submit]');
    // The re-send's exactly-once producer starts first (initTransactions): slow on a loaded machine.
    await waitText(
      '.notice',
      new RegExp(`re-sent to ${topic.replace(/\./g, '\\.')} .* with idempotencyKey console-ada-`),
      60_000,
    );
    await waitFor('Ada created', async () => (creates(ada) === 1 ? true : undefined), 60_000);
    // Re-sending it again does not create a second candidate.
    await page.click('form.dl-editor button[type=submit]');
    await waitText('.notice', /re-sent/, 60_000);
    // The second copy is processed (an "already applied" outcome) and nothing more is created.
    await waitText('dd[data-outcome="skipped"]', /^1$/, 60_000);
    expect(creates(ada)).toBe(1);

    // The one Ashby refused is re-sent unchanged: applied once, although the ledger held its key as dead-lettered.
    await page.click(`button[aria-label="Open dead letter ${byKey.grace!.id}"]`);
    await page.waitForSelector(`#dl-edit-${byKey.grace!.id}`);
    expect(await textOf('form.dl-editor dl')).toContain('ASHBY_API_ERROR');
    await page.click('form.dl-editor button[type=submit]');
    await waitFor('Grace created', async () => (creates(grace) === 1 ? true : undefined), 60_000);
    await waitText('dd[data-outcome="ok"]', /^2 /, 30_000);
    // The history counts them too.
    await waitText('figure[data-chart="commands"] [data-series="ok"] strong', /^2$/, 30_000);
    expect(creates(ada)).toBe(1);
    expect(creates(grace)).toBe(1);
    await shot('sink', true);
    expect(await seriousViolations()).toEqual([]);
    await expectNoSecretInPage([TOKEN, ...Object.values(KEYS).map((k) => k.secret)]);
  }, 300_000);
  it("shows what to do next to a failed pipeline's error code, from docs/troubleshooting.md", async () => {
    // The limited key may not read Organization: a source of departments fails with ASHBY_PERMISSION_DENIED.
    const DENIED = 'console-denied';
    const created = await api(worker.url, 'POST', '/pipelines', {
      name: DENIED,
      config: {
        ashby: { credential: 'limited', base_url: sandbox.url },
        source: { streams: ['departments'], topic_prefix: `${prefix}denied.`, interval: '1h' },
      },
    });
    expect(created.status).toBe(201);
    await tab('Pipelines');
    const row = `tr[data-pipeline="${DENIED}"]`;
    await waitText(`${row} .state`, /^FAILED$/, 60_000);
    const help = readFileSync(join(PACKAGE_ROOT, 'docs', 'troubleshooting.md'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('| `ASHBY_PERMISSION_DENIED` |'))!
      .split(' | ')[2]!
      .replace(/ \|$/, '')
      .replace(/`/g, '');
    expect(await textOf(`${row} .last-error code`)).toBe('ASHBY_PERMISSION_DENIED');
    expect(await textOf(`${row} .last-error [data-help="ASHBY_PERMISSION_DENIED"]`)).toBe(`What to do: ${help}`);
    await shot('pipelines-failed');
    expect(await seriousViolations()).toEqual([]);
    expect((await api(worker.url, 'DELETE', `/pipelines/${DENIED}`)).status).toBe(204);
  }, 120_000);
});
