// `broadsync status` and `broadsync schedule …` as users run them: the bin in a
// child process against a live server, judged by exit status and output.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staleReason } from '../../scripts/build.mjs';
import { ROOT } from '../helpers/process.ts';
import { startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/broadsync.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, BROADSYNC_URL: undefined, BROADSYNC_TOKEN: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

beforeAll(async () => {
  if (!staleReason()) return;
  const build = spawn(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  expect(await new Promise((resolve) => build.on('exit', resolve))).toBe(0);
}, 300_000);

describe('broadsync status and schedule', () => {
  let env: SyncEnv;
  let url: string;
  beforeAll(async () => {
    env = await startSyncEnv({ size: 'tiny' });
    url = `${env.server.url}/graphql`;
    const { run } = await env.sync({ networkId: 85, direction: 'IMPORT' });
    expect(run.status).toBe('SUCCEEDED');
  }, 60_000);
  afterAll(() => env?.stop());

  it('status prints the last import, the counts and the schedules; --json gives the same as data', async () => {
    const text = await cli(['status', '--network', '85', '--url', url]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Network 85 "Demo Network"$/m);
    expect(text.stdout).toMatch(/Last import: {3}run \d+ SUCCEEDED at /);
    expect(text.stdout).toMatch(/Running now: {3}none/);
    expect(text.stdout).toMatch(/Entities: {6}0 local only, 0 changed, 0 in conflict, 0 with errors, 0 removed/);
    const json = await cli(['status', '--network', '85', '--json', '--url', url]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ networkId: 85, lastImport: { status: 'SUCCEEDED' }, activeRun: null, schedules: [] });
  });

  it('status of a network that is not imported exits 1 saying so', async () => {
    const result = await cli(['status', '--network', '999', '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/network 999 is not in the local database/);
  });

  it('schedule create, list, pause, resume and delete; a bad cadence exits 1 naming the field', async () => {
    const made = await cli(['schedule', 'create', '--network', '85', '--direction', 'import', '--every', 'PT4H', '--json', '--url', url]);
    expect(made.code, made.stderr).toBe(0);
    const schedule = JSON.parse(made.stdout);
    expect(schedule).toMatchObject({ every: 'PT4H', enabled: true, direction: 'IMPORT' });
    const id = Buffer.from(schedule.id, 'base64').toString().split(':')[1]!;

    const listed = await cli(['schedule', 'list', '--network', '85', '--url', url]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`^  #${id}  import every PT4H \\[NETWORK,ADVERTISER,ZONE,ADVERTISEMENT,CAMPAIGN,PLACEMENT\\]  next 20`, 'm'),
    );

    const paused = await cli(['schedule', 'pause', id, '--url', url]);
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toMatch(new RegExp(`Schedule #${id} paused`));
    expect(paused.stdout).toMatch(/paused$/m);
    expect((await env.server.services.db.syncSchedule.findUniqueOrThrow({ where: { id: Number(id) } })).enabled).toBe(false);

    const resumed = await cli(['schedule', 'resume', id, '--json', '--url', url]);
    expect(JSON.parse(resumed.stdout).resumed).toMatchObject({ enabled: true, nextRunAt: expect.any(String) });

    const cron = await cli([
      'schedule',
      'create',
      '--network',
      '85',
      '--direction',
      'export',
      '--cron',
      '0 3 * * *',
      '--tz',
      'Europe/Berlin',
      '--url',
      url,
    ]);
    expect(cron.code, cron.stderr).toBe(0);
    expect(cron.stdout).toMatch(/export cron "0 3 \* \* \*" \(Europe\/Berlin\)/);
    const status = await cli(['status', '--network', '85', '--url', url]);
    expect(status.stdout).toMatch(/^Schedules \(2\):$/m);

    const bad = await cli(['schedule', 'create', '--network', '85', '--direction', 'import', '--every', 'PT15X', '--url', url]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/input\.every: "PT15X" is not an ISO 8601 duration/);
    const badZone = await cli([
      'schedule',
      'create',
      '--network',
      '85',
      '--direction',
      'import',
      '--cron',
      '* * * * *',
      '--tz',
      'Nowhere/City',
      '--json',
      '--url',
      url,
    ]);
    expect(badZone.code).toBe(1);
    expect(JSON.parse(badZone.stdout).error).toMatchObject({ type: 'ValidationError', fieldErrors: [{ path: ['input', 'timeZone'] }] });

    const deleted = await cli(['schedule', 'delete', id, '--url', url]);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toMatch(new RegExp(`Schedule #${id} deleted`));
    const again = await cli(['schedule', 'delete', id, '--url', url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`schedule ${id} does not exist`));
    expect(await env.server.services.db.syncSchedule.count()).toBe(1);
  }, 60_000);

  it.each([
    [['schedule'], /schedule needs list, create, pause, resume or delete/],
    [['schedule', 'create', '--network', '85', '--direction', 'import'], /exactly one of --every and --cron/],
    [['schedule', 'create', '--network', '85', '--direction', 'import', '--every', 'PT1M', '--tz', 'UTC'], /--tz goes with --cron/],
    [['schedule', 'pause'], /needs exactly one schedule id/],
    [['status'], /status needs --network/],
  ])('usage error %j exits 2', async (args, message) => {
    const result = await cli([...args, '--url', url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('--help describes status and schedule', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/broadsync status --network <id>/);
    expect(help.stdout).toMatch(/broadsync schedule pause\|resume\|delete <schedule>/);
  });
});
