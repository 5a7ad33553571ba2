import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import axios, { type AxiosInstance } from 'axios';
import { loadConfigOrExit } from '@partnerwatch/config';
import { bootstrapOrganization } from '../../api/src/cli/bootstrap-organization';
import { generateCompanies, type DemoCompany } from './demo-companies';
import { DemoRegistry, type RegistryChange } from './demo-registry';
import { WebhookReceiver, type ReceivedWebhook } from './webhook-receiver';

/**
 * `npm run demo`: the whole pipeline against a built-in registry. Seeds an organization with 50
 * watched suppliers, publishes China's abnormal-operations list (GB18030 CSV with the official
 * headers) that changes every ~20 s, runs the API and the worker as real processes, and prints
 * each alert that reaches the webhook receiver after checking its signature.
 */
const root = path.resolve(__dirname, '../../../..');
const SECRET = 'whsec_demo_receiver_secret_2026';
const WATCHED = 50;

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const registryPort = Number(env('DEMO_REGISTRY_PORT', '4010'));
const receiverPort = Number(env('DEMO_RECEIVER_PORT', '4020'));
const advanceMs = Number(env('DEMO_ADVANCE_SECONDS', '20')) * 1000;
const durationMs = Number(env('DEMO_DURATION_SECONDS', '0')) * 1000;

const say = (line: string) => process.stdout.write(`${line}\n`);
const time = () => new Date().toTimeString().slice(0, 8);

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logDir = path.join(root, 'tmp', 'demo-logs');
  mkdirSync(logDir, { recursive: true });

  const watched = generateCompanies(WATCHED, 2026);
  const registry = new DemoRegistry({ watched, seed: 7, encoding: 'gb18030' });
  const registryBase = await registry.start({
    port: registryPort,
    autoAdvanceMs: advanceMs,
    onAdvance: (change) => describeChange(change),
  });
  const registryUrl = `${registryBase.replace(/\/$/, '')}${registry.exportPath}`;

  const byUscc = new Map(watched.map((c) => [c.uscc, c]));
  const receiver = new WebhookReceiver({ secret: SECRET, onReceive: (hook) => printAlert(hook, byUscc) });
  const hookUrl = await receiver.start(receiverPort);

  const org = await bootstrapOrganization(config.DATABASE_URL, {
    name: 'Demo Manufacturing Co.',
    slug: 'demo-manufacturing',
  });
  const apiBase = `http://${config.API_HOST}:${config.API_PORT}`;
  const children = [
    startChild('api', 'dist/apps/api/src/main.js', logDir),
    startChild('worker', 'dist/apps/worker/src/main.js', logDir),
  ];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say(`\n${time()}  stopping: ${receiver.received.length} alerts received, ${receiver.duplicates} duplicates`);
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await registry.stop();
    await receiver.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  for (const child of children) {
    child.once('exit', (code) => {
      if (!stopping) {
        say(`${child.spawnargs.at(-1)} exited with code ${code}; see ${logDir}`);
        void stop(1);
      }
    });
  }

  const api = axios.create({
    baseURL: apiBase,
    headers: { authorization: `Bearer ${org.apiKey}` },
    validateStatus: () => true,
  });
  await waitForApi(api);
  await seed(api, watched, registryUrl, hookUrl);

  say('');
  say(`partnerwatch demo is running.`);
  say(`  registry   ${registryUrl}  (abnormal operations, GB18030, changes every ${advanceMs / 1000} s)`);
  say(`  API        ${apiBase}   admin key: ${org.apiKey}`);
  say(`             try: curl -s -H "Authorization: Bearer ${org.apiKey}" ${apiBase}/v1/alerts | head -c 600`);
  say(`  receiver   ${hookUrl}  (verifies each webhook's HMAC signature)`);
  say(`  logs       ${logDir}/{api,worker}.log`);
  say(`Watching ${WATCHED} suppliers. The registry's first export already lists a few of them; each revision`);
  say(`lists and delists more. Alerts appear below as the webhook receiver gets them. Ctrl-C stops.\n`);
  if (durationMs > 0) setTimeout(() => void stop(receiver.received.length > 0 ? 0 : 1), durationMs);
}

function startChild(name: string, script: string, logDir: string): ChildProcess {
  const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'w' });
  const child = spawn(process.execPath, [path.join(root, script)], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

async function waitForApi(api: AxiosInstance): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await api.get('/ready');
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the API did not become ready within 20 s; see tmp/demo-logs/api.log');
}

async function seed(api: AxiosInstance, watched: DemoCompany[], registryUrl: string, hookUrl: string): Promise<void> {
  const existing = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await api.get('/v1/suppliers', { params: { limit: 500, ...(cursor ? { cursor } : {}) } });
    for (const s of page.data.data as { uscc: string }[]) existing.add(s.uscc);
    cursor = page.data.nextCursor ?? undefined;
  } while (cursor);
  const ids: string[] = [];
  for (const company of watched) {
    if (existing.has(company.uscc)) continue;
    const res = await api.post('/v1/suppliers', {
      uscc: company.uscc,
      nameZh: company.nameZh,
      nameEn: company.nameEn,
      country: 'CN',
      tags: company.tags,
      criticality: company.criticality,
      relationship: company.relationship,
    });
    if (res.status !== 201) throw new Error(`seeding ${company.nameZh} failed: ${JSON.stringify(res.data)}`);
    ids.push(res.data.id);
  }
  if (ids.length) {
    const watchlist = await api.post('/v1/watchlists', { name: 'Key suppliers', ownerTeam: 'Procurement' });
    if (watchlist.status === 201) await api.post(`/v1/watchlists/${watchlist.data.id}/members`, { supplierIds: ids });
  }

  const subs = await api.get('/v1/subscriptions');
  const hook = (subs.data.data as { id: string; name: string }[]).find((s) => s.name === 'Demo receiver');
  const settings = { url: hookUrl, secret: SECRET };
  if (hook) await api.patch(`/v1/subscriptions/${hook.id}`, { settings, enabled: true });
  else await api.post('/v1/subscriptions', { name: 'Demo receiver', channel: 'webhook', settings });

  const sources = await api.get('/v1/sources');
  const source = (sources.data.data as { id: string; key: string }[]).find(
    (s) => s.key === 'demo-cn-abnormal-operations',
  );
  const definition = {
    name: 'Demo: List of Enterprises with Abnormal Operations',
    url: registryUrl,
    intervalSeconds: 10,
    enabled: true,
  };
  const res = source
    ? await api.patch(`/v1/sources/${source.id}`, definition)
    : await api.post('/v1/sources', {
        key: 'demo-cn-abnormal-operations',
        adapter: 'cn-abnormal-operations',
        listKind: 'abnormal_operations',
        settings: { encoding: 'auto' },
        ...definition,
      });
  if (res.status >= 300) throw new Error(`registering the demo source failed: ${JSON.stringify(res.data)}`);
  say(
    `${time()}  seeded ${watched.length} suppliers (${ids.length} new), a webhook subscription and the registry source`,
  );
}

function describeChange(change: RegistryChange): void {
  const names = (list: DemoCompany[]) => list.map((c) => c.nameZh).join('、') || '-';
  say(
    `${time()}  registry revision ${change.revision}: listed ${names(change.listed)}; ` +
      `removal recorded ${names(change.removedByDate)}; row withdrawn ${names(change.removedRows)}`,
  );
}

function printAlert(hook: ReceivedWebhook, byUscc: Map<string, DemoCompany>): void {
  const alert = hook.body.alert as {
    type: string;
    severity: string;
    supplier?: { uscc?: string; nameZh?: string };
    listing?: { reason?: string; listedOn?: string; delisting?: { on?: string; reason?: string } | null };
  };
  const company = alert.supplier?.uscc ? byUscc.get(alert.supplier.uscc) : undefined;
  const who = `${alert.supplier?.nameZh ?? '?'}${company ? ` (${company.nameEn})` : ''}`;
  const what =
    alert.type === 'listed'
      ? `LISTED   ${alert.listing?.reason ?? ''} (since ${alert.listing?.listedOn ?? '?'})`
      : alert.type === 'delisted'
        ? `DELISTED ${alert.listing?.delisting?.reason ?? 'row withdrawn from the export'}`
        : `CHANGED  ${alert.listing?.reason ?? ''}`;
  say(`${time()}  ALERT [${alert.severity}] ${who}: ${what}  (signature ok, delivery ${hook.deliveryId.slice(0, 8)})`);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
