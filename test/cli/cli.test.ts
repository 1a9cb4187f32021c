// `broadsync` as users run it: a child process against a live server and the
// Broadstreet emulator, judged by its exit status and what it prints.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../broadstreet/helpers.ts';
import { db } from '../../src/db/index.ts';
import { localAdvertiser, localCampaign, networkRow } from '../helpers/local-entities.ts';
import { ROOT } from '../helpers/process.ts';
import { countsByType, startSyncEnv, type SyncEnv } from '../helpers/sync.ts';
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

/** The counts table of a report, as { TYPE: { created: n, … } }. */
function reportCounts(report: string): Record<string, Record<string, number>> {
  const lines = report.split('\n');
  const header = lines.findIndex((l) => l.startsWith('entity type'));
  const columns = ['created', 'updated', 'unchanged', 'failed', 'skipped'];
  const counts: Record<string, Record<string, number>> = {};
  for (const line of lines.slice(header + 1)) {
    const match = /^([A-Z]+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(line);
    if (!match) break;
    counts[match[1]!] = Object.fromEntries(columns.map((c, i) => [c, Number(match[i + 2])]));
  }
  return counts;
}

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
    for (const [phase, unit] of [['ADVERTISEMENTS', 'advertisers'], ['CAMPAIGNS', 'advertisers'], ['PLACEMENTS', 'campaigns']]) {
      expect(result.stderr).toMatch(new RegExp(`^${phase}\\s+\\S+ \\d+/\\d+ ${unit} \\| errors 0 \\|`, 'm'));
    }
    expect(result.stderr).toMatch(new RegExp(`^run ${id}\\s+\\S+ 100% \\| errors 0 \\| SUCCEEDED$`, 'm'));
    const stored = countsByType(await env.run(id!));
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
    expect(errors).toMatch(new RegExp(`^Errors \\(2\\):\n  DEPENDENCY × 1\n    CAMPAIGN ${orphan.mongoId}: .+\n  VALIDATION × 1\n    ADVERTISER ${bad.mongoId}: .+\n$`));
    // The campaign is skipped (DEPENDENCY) while its advertiser fails: both errors arise in that phase.
    expect(result.stderr).toMatch(/^ADVERTISERS\s+\S+ \d+\/\d+ \| errors 2 \|/m);
    expect(result.stderr).toMatch(/\| errors 2 \| PARTIAL$/m);
  });

  it('sync: a refused start exits 1 with the server’s reason', async () => {
    const result = await cli(['sync', '--network', '999', '--direction', 'export', '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('broadsync: the server refused to start the run: network 999 is not in the local database; import it first');
  });

  it('run <id>: exits 1 for a run that does not exist', async () => {
    const result = await cli(['run', '424242', '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('broadsync: run 424242 does not exist\n');
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
    expect(none.stderr).toContain('refused the request: an access token is required: send Authorization: Bearer <token> (pass --token or set BROADSYNC_TOKEN)');
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
