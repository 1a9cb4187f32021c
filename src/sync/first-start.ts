// First start (SYNC_IMPORT_ON_EMPTY=true): a database without any network
// imports every network the token can see, once, as ordinary runs (trigger
// FIRST_START), one network after another. Without a token it does nothing
// and says why; a database that has a network, or a first-start run already,
// is left alone, so a restart (or a second instance) never imports twice.
import { ExpectedError } from '../domain/errors.ts';
import { startSync } from './run.service.ts';
import type { Services } from './services.ts';
import { isTerminal } from './types.ts';

const POLL_MS = 250;

export interface FirstStartResult {
  /** Why nothing was imported, or null when imports were started. */
  skipped: string | null;
  runIds: number[];
}

/** Told when each network's import ended (the first one: what a demo waits for). */
export type OnImported = (networkId: number) => void;

export async function importOnEmpty(services: Services, signal: AbortSignal, onImported: OnImported = () => {}): Promise<FirstStartResult> {
  const { db, logger, broadstreet } = services;
  const skip = (why: string): FirstStartResult => {
    logger.info(`SYNC_IMPORT_ON_EMPTY: ${why}`);
    return { skipped: why, runIds: [] };
  };
  if (!broadstreet) {
    const why = 'BROADSTREET_API_TOKEN is not set, so no network can be imported; set it (npm run demo sets it for the emulator)';
    logger.warn(`SYNC_IMPORT_ON_EMPTY: ${why}`);
    return { skipped: why, runIds: [] };
  }
  if ((await db.network.count()) > 0) return skip('the database has networks already; nothing imported');
  if ((await db.syncRun.count({ where: { trigger: 'FIRST_START' } })) > 0)
    return skip('the first-start import was made before; nothing imported');
  let networks: { id: number; name: string }[];
  try {
    networks = await broadstreet.listNetworks({ signal });
  } catch (error) {
    const why = `Broadstreet did not list the networks (${(error as Error).name}); nothing imported`;
    logger.warn(`SYNC_IMPORT_ON_EMPTY: ${why}`);
    return { skipped: why, runIds: [] };
  }
  logger.info({ networks: networks.map((n) => n.id) }, `SYNC_IMPORT_ON_EMPTY: importing ${networks.length} network(s) the token can see`);
  const runIds: number[] = [];
  for (const network of [...networks].sort((a, b) => a.id - b.id)) {
    if (signal.aborted) break;
    try {
      const run = await startSync(services, { networkId: network.id, direction: 'IMPORT', trigger: 'FIRST_START' });
      runIds.push(run.id);
      await untilEnded(services, run.id, signal);
      onImported(network.id);
    } catch (error) {
      if (!(error instanceof ExpectedError)) throw error;
      logger.info({ networkId: network.id, reason: error.message }, 'SYNC_IMPORT_ON_EMPTY: network not imported');
    }
  }
  return { skipped: null, runIds };
}

/** Waits for a run to end, so networks are imported one at a time. */
async function untilEnded({ db }: Services, runId: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const run = await db.syncRun.findUnique({ where: { id: runId }, select: { status: true } });
    if (!run || isTerminal(run.status as never)) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
