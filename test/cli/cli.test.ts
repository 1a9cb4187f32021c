// `broadsync` as users run it: a child process against a live server and the
// Broadstreet emulator, judged by its exit status and what it prints.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../broadstreet/helpers.ts';
import { db } from '../helpers/db.ts';
import { localAdvertiser, localCampaign, localZone, networkRow } from '../helpers/local-entities.ts';
import { ROOT } from '../helpers/process.ts';
import { staleReason } from '../../scripts/build.mjs';
import { OPTIONS } from '../../src/cli/args.ts';
import { allCounts, startSyncEnv, type SyncEnv } from '../helpers/sync.ts';
import { READ_TOKEN, TOKENS_ENV, WRITE_TOKEN } from '../prod/helpers.ts';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/broadsync.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, BROADSYNC_URL: undefined, BROADSYNC_TOKEN: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The count columns of a run's report, and of a dry run's (planned work), as the API names them. */
const REPORT_COLUMNS = 'created updated deleted unchanged conflicts failed skipped';
const DRY_RUN_COLUMNS = 'plannedCreates plannedUpdates plannedDeletes unchanged conflicts failed skipped';
const HEADERS: Record<string, string> = { 'to create': 'plannedCreates', 'to update': 'plannedUpdates', 'to delete': 'plannedDeletes' };

/** The counts table of a report, as { TYPE: { created: n, … } }, its columns read from its header. */
function reportCounts(report: string): Record<string, Record<string, number>> {
  const lines = report.split('\n');
  const header = lines.find((l) => l.startsWith('entity type'))!;
  const columns = header
    .replace(/^entity type\s+/, '')
    .split(/\s{2,}/)
    .map((h) => HEADERS[h] ?? h);
  const counts: Record<string, Record<string, number>> = {};
  for (const line of lines.slice(lines.indexOf(header) + 1)) {
    const match = /^([A-Z]+)((\s+\d+)+)$/.exec(line);
    if (!match) break;
    const numbers = match[2]!.trim().split(/\s+/).map(Number);
    expect(numbers).toHaveLength(columns.length);
    counts[match[1]!] = Object.fromEntries(columns.map((c, i) => [c, numbers[i]!]));
  }
  return counts;
}

// The bin runs the compiled CLI: build dist/ once here (when stale), not inside the
// first command's time budget; in a child process, so this worker stays responsive.
beforeAll(async () => {
  if (!staleReason()) return;
  const build = spawn(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  expect(await new Promise((resolve) => build.on('exit', resolve))).toBe(0);
}, 300_000);

describe('the broadsync CLI', () => {
  let env: SyncEnv;
  let url: string;
  beforeAll(async () => {
    env = await startSyncEnv({ size: 'tiny' }, { BROADSTREET_RETRY_BASE_MS: '5' });
    url = `${env.server.url}/graphql`;
  });
  afterAll(() => env?.stop());

  let importRunId = '';
  let importReport = '';

  it('sync: imports a network, draws a bar per phase, prints the report and exits 0', async () => {
    const result = await cli(['sync', '--network', '85', '--direction', 'import', '--url', url]);
    expect(result.code, result.stderr).toBe(0);
    const [, id] = /^Run (\d+): import of network 85 — SUCCEEDED in \S+ m?s$/m.exec(result.stdout) ?? [];
    expect(id).toBeDefined();
    importRunId = id!;
    importReport = result.stdout;
    for (const phase of ['NETWORKS', 'ADVERTISERS', 'ZONES', 'CLEANUP']) {
      expect(result.stderr).toMatch(new RegExp(`^${phase}\\s+\\S+ (\\d+/\\d+|done) \\| errors 0 \\|`, 'm'));
    }
    // Advertisements and campaigns are fetched per advertiser, placements per campaign: the bars say what they count (issue 14 #13).
    for (const [phase, unit] of [
      ['ADVERTISEMENTS', 'advertisers'],
      ['CAMPAIGNS', 'advertisers'],
      ['PLACEMENTS', 'campaigns'],
    ]) {
      expect(result.stderr).toMatch(new RegExp(`^${phase}\\s+\\S+ \\d+/\\d+ ${unit} \\| errors 0 \\|`, 'm'));
    }
    expect(result.stderr).toMatch(new RegExp(`^run ${id}\\s+\\S+ 100% \\| errors 0 \\| SUCCEEDED$`, 'm'));
    const stored = await allCounts(env, id!, REPORT_COLUMNS);
    expect(reportCounts(result.stdout)).toEqual(stored);
    expect(stored.ADVERTISER!.created).toBeGreaterThan(0);
    expect(result.stdout).toContain('No errors.');
  });

  it('run <id>: prints the same report, exit 0 for a run that succeeded', async () => {
    const result = await cli(['run', importRunId, '--url', url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(importReport);
  });

  it('runs: lists the history, newest first', async () => {
    const result = await cli(['runs', '--network', '85', '--url', env.server.url]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^run\s+created\s+direction\s+network\s+status\s+done\s+duration$/);
    expect(lines[1]).toMatch(new RegExp(`^\\s*${importRunId}\\s+\\S+ \\S+\\s+IMPORT\\s+85\\s+SUCCEEDED\\s+100%\\s+\\S+`));
  });

  it('sync: a run that fails (Broadstreet refuses the token) prints why and exits 1, the token nowhere', async () => {
    const network = await networkRow(85);
    await localAdvertiser(network.id, 'CLI Never Sent');
    const secret = env.emulator.config.token;
    env.emulator.config.token = 'rotated-token';
    try {
      const result = await cli(['sync', '--network', '85', '--direction', 'export', '--url', url]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^Run \d+: export of network 85 — FAILED/m);
      expect(result.stdout).toMatch(/^Reason: .*refused the access token/m);
      expect(result.stderr).toMatch(/\| FAILED$/m);
      expect(result.stdout + result.stderr).not.toContain(secret);
    } finally {
      env.emulator.config.token = secret;
    }
  });

  it('sync: a run with failed entities ends PARTIAL: exit 1, errors grouped by code in the report', async () => {
    const network = await networkRow(85);
    await db().advertiser.deleteMany({ where: { name: 'CLI Never Sent' } });
    const bad = await localAdvertiser(network.id, '   ');
    const orphan = await localCampaign(network.id, bad.id, 'CLI Orphan Campaign');
    await localAdvertiser(network.id, 'CLI Good Advertiser');
    const result = await cli(['sync', '--network', '85', '--direction', 'export', '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Run \d+: export of network 85 — PARTIAL in /m);
    expect(reportCounts(result.stdout)).toMatchObject({ ADVERTISER: { created: 1, failed: 1 }, CAMPAIGN: { skipped: 1 } });
    const errors = result.stdout.slice(result.stdout.indexOf('Errors ('));
    expect(errors).toMatch(
      new RegExp(
        `^Errors \\(2\\):\n  DEPENDENCY × 1\n    CAMPAIGN ${orphan.mongoId}: .+\n  VALIDATION × 1\n    ADVERTISER ${bad.mongoId}: .+\n$`,
      ),
    );
    // The campaign is skipped (DEPENDENCY) while its advertiser fails: both errors arise in that phase.
    expect(result.stderr).toMatch(/^ADVERTISERS\s+\S+ \d+\/\d+ \| errors 2 \|/m);
    expect(result.stderr).toMatch(/\| errors 2 \| PARTIAL$/m);
  });

  it('sync: a refused start exits 1 with the server’s reason', async () => {
    const result = await cli(['sync', '--network', '999', '--direction', 'export', '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'broadsync: the server refused to start the run: network 999 is not in the local database; import it first',
    );
  });

  it('run <id>: exits 1 for a run that does not exist', async () => {
    const result = await cli(['run', '424242', '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('broadsync: run 424242 does not exist\n');
  });

  it('--json: runs, run and sync print one JSON document that matches what is stored', async () => {
    const runs = await cli(['runs', '--network', '85', '--json', '--url', url]);
    expect(runs.code).toBe(0);
    const listed = JSON.parse(runs.stdout) as { totalCount: number; runs: { id: string; status: string; networkId: number }[] };
    expect(listed.totalCount).toBe(await db().syncRun.count({ where: { networkId: 85 } }));
    expect(listed.runs.map((r) => r.networkId)).toEqual(listed.runs.map(() => 85));

    const one = await cli(['run', importRunId, '--json', '--url', url]);
    expect(one.code).toBe(0);
    const report = JSON.parse(one.stdout) as Record<string, any>;
    expect(report).toMatchObject({ networkId: 85, direction: 'IMPORT', status: 'SUCCEEDED', errors: [] });
    expect(Object.fromEntries(report.counts.map(({ entityType, ...rest }: { entityType: string }) => [entityType, rest]))).toEqual(
      await allCounts(env, importRunId),
    );

    const sync = await cli(['sync', '--network', '85', '--direction', 'import', '--json', '--url', url]);
    expect(sync.code, sync.stderr).toBe(0);
    const synced = JSON.parse(sync.stdout) as Record<string, any>;
    expect(synced).toMatchObject({ direction: 'IMPORT', status: 'SUCCEEDED', percentage: 100 });
    expect((await env.run(synced.id)).status).toBe('SUCCEEDED');
    // No progress bars with --json: scripts read stdout, and stderr has only the one note.
    expect(sync.stderr).not.toMatch(/NETWORKS\s/);

    const missing = await cli(['run', '424242', '--json', '--url', url]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({ error: { type: 'NotFoundError', message: 'run 424242 does not exist' } });
  });

  it('retry <run>: re-runs only what failed or was skipped there, follows it, exit 0 once it succeeds', async () => {
    const network = await networkRow(85);
    // What earlier tests left unexported would fail again and make the retry PARTIAL.
    await db().campaign.deleteMany({ where: { broadstreetId: null } });
    await db().advertiser.deleteMany({ where: { broadstreetId: null } });
    const bad = await localAdvertiser(network.id, '');
    await localCampaign(network.id, bad.id, 'CLI Retried Campaign');
    const first = await cli(['sync', '--network', '85', '--direction', 'export', '--url', url]);
    expect(first.code).toBe(1);
    const [, failedRun] = /^Run (\d+): export of network 85 — PARTIAL/m.exec(first.stdout) ?? [];
    await db().advertiser.update({ where: { id: bad.id }, data: { name: 'CLI Fixed Advertiser' } });
    // Another local advertiser that the first run never saw: a retry leaves it alone.
    await localAdvertiser(network.id, 'CLI Not In The Retry');

    const retry = await cli(['retry', failedRun!, '--url', url]);
    expect(retry.code, retry.stderr).toBe(0);
    const [, retryRun] = /^Run (\d+): export of network 85 — SUCCEEDED/m.exec(retry.stdout) ?? [];
    expect(retryRun).toBeDefined();
    expect(reportCounts(retry.stdout)).toMatchObject({ ADVERTISER: { created: 1, failed: 0 }, CAMPAIGN: { created: 1, skipped: 0 } });
    expect((await db().advertiser.findUniqueOrThrow({ where: { id: bad.id } })).broadstreetId).not.toBeNull();
    expect((await db().advertiser.findFirstOrThrow({ where: { name: 'CLI Not In The Retry' } })).broadstreetId).toBeNull();
    await db().advertiser.deleteMany({ where: { name: 'CLI Not In The Retry' } });

    const unknown = await cli(['retry', '424242', '--url', url]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('broadsync: run 424242 does not exist\n');
  });

  it('cancel <run>: stops a running run at its next entity, exit 0; a finished or unknown run exits 1', async () => {
    const network = await networkRow(85);
    for (let i = 0; i < 60; i++) await localZone(network.id, `CLI Slow Zone ${i}`);
    env.emulator.config.latencyMs = 300;
    try {
      const started = await env.startSync({ networkId: 85, direction: 'EXPORT', entityTypes: ['ZONE'] });
      const events = env.follow(started.run.id);
      const id = String(Number(Buffer.from(started.run.id, 'base64').toString().split(':')[1]));
      const cancel = await cli(['cancel', id, '--url', url]);
      expect(cancel.code, cancel.stderr).toBe(0);
      expect(cancel.stdout).toMatch(new RegExp(`^Run ${id}: (cancel requested; it stops at its next entity|cancelled before it started)`));
      expect((await events).at(-1)!.status).toBe('CANCELLED');
      expect(await db().zone.count({ where: { name: { startsWith: 'CLI Slow Zone' }, broadstreetId: { not: null } } })).toBeLessThan(60);

      const again = await cli(['cancel', id, '--json', '--url', url]);
      expect(again.code).toBe(1);
      expect(JSON.parse(again.stdout)).toEqual({
        error: { type: 'ConflictError', message: expect.stringContaining('has already finished (CANCELLED)') },
      });
      const unknown = await cli(['cancel', '424242', '--url', url]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe('broadsync: run 424242 does not exist\n');
    } finally {
      env.emulator.config.latencyMs = 0;
      await db().zone.deleteMany({ where: { name: { startsWith: 'CLI Slow Zone' }, broadstreetId: null } });
    }
  });

  it('plan prints the plan as a table (and as JSON), sending nothing; apply executes exactly it, once', async () => {
    const network = await networkRow(85);
    // What earlier tests left unexported would be part of the plan.
    await db().placement.deleteMany({ where: { networkId: network.id, syncedAt: null } });
    await db().campaign.deleteMany({ where: { networkId: network.id, broadstreetId: null } });
    await db().advertiser.deleteMany({ where: { networkId: network.id, broadstreetId: null } });
    await db().zone.deleteMany({ where: { networkId: network.id, broadstreetId: null } });
    const advertiser = await localAdvertiser(network.id, 'CLI Plan Co');
    const campaign = await localCampaign(network.id, advertiser.id, 'CLI Plan Campaign');
    const backwards = await localCampaign(network.id, advertiser.id, 'CLI Plan Backwards', {
      startDate: '2027-05-01',
      endDate: '2027-04-01',
    });
    const createdBefore = { ...env.emulator.stats.created };

    const json = await cli(['plan', '--network', '85', '--json', '--url', url]);
    expect(json.code, json.stderr).toBe(1);
    const planned = JSON.parse(json.stdout) as {
      id: string;
      dryRun: boolean;
      status: string;
      items: { mongoId: string; outcome: string }[];
    };
    expect(planned).toMatchObject({ dryRun: true, status: 'PARTIAL' });
    const outcomes = Object.fromEntries(planned.items.filter((i) => i.outcome !== 'UNCHANGED').map((i) => [i.mongoId, i.outcome]));
    expect(outcomes).toEqual({
      [advertiser.mongoId]: 'PLANNED_CREATE',
      [campaign.mongoId]: 'PLANNED_CREATE',
      [backwards.mongoId]: 'BLOCKED',
    });

    const text = await cli(['plan', '--network', '85', '--url', url]);
    expect(text.code, text.stderr).toBe(1);
    const [, planId] = /^Plan of run (\d+): dry run of an export of network 85 — PARTIAL$/m.exec(text.stdout) ?? [];
    expect(planId).toBeDefined();
    expect(text.stdout).toMatch(new RegExp(`^CREATE\\s+ADVERTISER\\s+CLI Plan Co\\s+${advertiser.mongoId}$`, 'm'));
    expect(text.stdout).toMatch(new RegExp(`^CREATE\\s+CAMPAIGN\\s+CLI Plan Campaign\\s+${campaign.mongoId}$`, 'm'));
    expect(text.stdout).toMatch(new RegExp(`^BLOCKED\\s+CAMPAIGN\\s+CLI Plan Backwards\\s+${backwards.mongoId}\\s+.*endDate`, 'm'));
    expect(text.stdout).toMatch(/^\d+ unchanged\.$/m);
    expect(text.stdout).toContain(`Apply it: broadsync apply ${planId}`);
    expect(text.stdout).not.toMatch(/\bcreated\b/);
    expect(text.stderr).toMatch(/^VALIDATION\s+\S+ /m);
    expect(env.emulator.stats.created).toEqual(createdBefore);
    expect(await db().advertiser.findUniqueOrThrow({ where: { id: advertiser.id } })).toMatchObject({ broadstreetId: null });

    const applied = await cli(['apply', planId!, '--url', url]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/^Run \d+: export of network 85 — SUCCEEDED in /m);
    expect(reportCounts(applied.stdout)).toMatchObject({ ADVERTISER: { created: 1 }, CAMPAIGN: { created: 1, failed: 0 } });
    expect(applied.stdout).toMatch(new RegExp(`^CREATED\\s+ADVERTISER\\s+CLI Plan Co\\s+${advertiser.mongoId}$`, 'm'));
    expect(applied.stdout).not.toContain(backwards.mongoId);
    expect(applied.stderr).toMatch(/^ADVERTISERS\s+\S+ 1\/1 \| errors 0 \|/m);
    const stored = await db().advertiser.findUniqueOrThrow({ where: { id: advertiser.id } });
    expect(env.emulator.store.campaignsOf(stored.broadstreetId!).map((c) => c.name)).toEqual(['CLI Plan Campaign']);
    expect(await db().campaign.findUniqueOrThrow({ where: { id: backwards.id } })).toMatchObject({ broadstreetId: null });

    const again = await cli(['apply', planId!, '--url', url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      new RegExp(`^broadsync: the server refused to start the run: the plan of run ${planId} was already applied by run \\d+`),
    );
    const unknown = await cli(['apply', '424242', '--url', url]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('broadsync: run 424242 does not exist\n');
    const usage = await cli(['plan', '--url', url]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^broadsync: plan needs --network <id>/);
    // An import's plan: its counts speak of planned work (Broadstreet gained a zone since the last import).
    env.emulator.store.addZone({
      id: env.emulator.store.nextId('zone'),
      networkId: 85,
      name: 'CLI Plan Remote Zone',
      alias: null,
      selfServe: false,
      origin: 'api',
    });
    const preview = await cli(['plan', '--network', '85', '--direction', 'import', '--url', url]);
    expect(preview.code, preview.stderr).toBe(0);
    const [, previewId] = /^Plan of run (\d+): dry run of an import of network 85 — SUCCEEDED$/m.exec(preview.stdout) ?? [];
    const previewCounts = reportCounts(preview.stdout);
    expect(previewCounts).toEqual(await allCounts(env, previewId!, DRY_RUN_COLUMNS));
    expect(previewCounts.ZONE).toMatchObject({ plannedCreates: 1 });
    expect(preview.stdout).not.toMatch(/\bcreated\b/);
    expect(await db().zone.count({ where: { name: 'CLI Plan Remote Zone' } })).toBe(0);
    expect(preview.stdout).toMatch(/^CREATE\s+ZONE\s+CLI Plan Remote Zone\s+[0-9a-f]{24}$/m);
    expect(preview.stdout).toContain(`Apply it: broadsync apply ${previewId}`);
    // Applying it imports exactly that zone, under the mongoId the plan showed.
    const [, plannedZone] = /^CREATE\s+ZONE\s+CLI Plan Remote Zone\s+([0-9a-f]{24})$/m.exec(preview.stdout) ?? [];
    const importApplied = await cli(['apply', previewId!, '--url', url]);
    expect(importApplied.code, importApplied.stderr).toBe(0);
    expect(importApplied.stdout).toMatch(/^Run \d+: import of network 85 — SUCCEEDED in /m);
    expect(importApplied.stdout).toMatch(new RegExp(`^CREATED\\s+ZONE\\s+CLI Plan Remote Zone\\s+${plannedZone}$`, 'm'));
    expect(await db().zone.findUniqueOrThrow({ where: { mongoId: plannedZone! } })).toMatchObject({ name: 'CLI Plan Remote Zone' });
    await db().campaign.delete({ where: { id: backwards.id } });
  }, 90_000);

  it('--help lists every command and every option; no command at all is a usage error (exit 2)', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['sync', 'plan', 'apply', 'retry', 'cancel', 'runs', 'run'])
      expect(help.stdout).toMatch(new RegExp(`^  broadsync ${command} `, 'm'));
    for (const option of Object.keys(OPTIONS)) expect(help.stdout).toMatch(new RegExp(`^  (-\\w, )?--${option}\\b`, 'm'));
    expect((await cli(['help'])).stdout).toBe(help.stdout);

    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^broadsync: no command given\n\nUsage:/);
    const noRun = await cli(['cancel']);
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toMatch(/^broadsync: cancel needs exactly one run id/);
  });

  it('exits 2 on a usage error, 3 when no server answers', async () => {
    const usage = await cli(['sync', '--network', '85']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^broadsync: sync needs --direction import or --direction export\n\nUsage:/);
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    const down = await cli(['runs', '--url', `http://127.0.0.1:${await closedPort()}/graphql`]);
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/^broadsync: cannot reach http:\/\/127\.0\.0\.1:\d+\/graphql \(ECONNREFUSED\): is the server running\?/);
  });
});

describe('the broadsync CLI against a server with API_TOKENS', () => {
  let env: SyncEnv;
  let url: string;
  beforeAll(async () => {
    env = await startSyncEnv({ size: 'tiny' }, TOKENS_ENV);
    url = `${env.server.url}/graphql`;
  });
  afterAll(() => env?.stop());

  it('exits 3 without a token or with a wrong one, naming the fix', async () => {
    const none = await cli(['runs', '--url', url]);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain(
      'refused the request: an access token is required: send Authorization: Bearer <token> (pass --token or set BROADSYNC_TOKEN)',
    );
    const wrong = await cli(['runs', '--url', url, '--token', 'nope']);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('refused the request: the access token is not valid (check --token / BROADSYNC_TOKEN)');
  });

  it('exits 3 when a read-only token tries to start a run, and nothing starts', async () => {
    const result = await cli(['sync', '--network', '85', '--direction', 'import', '--url', url], { BROADSYNC_TOKEN: READ_TOKEN });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('refused: this access token is read-only: mutations need a token with the write scope');
    const runs = await cli(['runs', '--url', url, '--token', READ_TOKEN]);
    expect(runs.stdout).toBe('No sync runs yet.\n');
  });

  it('runs an import with a write token from BROADSYNC_TOKEN, over HTTP and WebSocket', async () => {
    const result = await cli(['sync', '--network', '85', '--direction', 'import', '--url', url], { BROADSYNC_TOKEN: WRITE_TOKEN });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Run \d+: import of network 85 — SUCCEEDED/m);
    expect(result.stdout + result.stderr).not.toContain(WRITE_TOKEN);
  });
});
