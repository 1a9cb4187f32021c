// Issue 18, "the fewest requests": the requests an import makes (the emulator
// counts them) against the fewest the API's shape allows — the minimum list
// set, plus one advertisement list per advertiser whose name is shared in the
// network (an ad names its advertiser only by name). Counts, not times: one
// run per network, no limit, no latency.
import { DEMO, minimumOf } from './lib/emulator.ts';
import type { Benchmark, BenchOptions, Row } from './lib/types.ts';
import { runScenario, type Outcome, type Scenario } from './sync-floor.ts';

/** The allowance per endpoint: the minimum, and the shared-name advertisers' own advertisement lists. */
export function allowedRequests(o: Outcome): Record<string, number> {
  const allowed = { ...o.importMinimum.byEndpoint };
  allowed['GET /advertisements'] = (allowed['GET /advertisements'] ?? 0) + o.importMinimum.sharedAdvertisers;
  return allowed;
}

/** Requests beyond the allowance, per endpoint (negative: fewer than allowed), largest first; zeros left out. */
export function excessByEndpoint(o: Outcome): [endpoint: string, excess: number][] {
  const allowed = allowedRequests(o);
  const endpoints = new Set([...Object.keys(allowed), ...Object.keys(o.byEndpoint)]);
  return [...endpoints]
    .map((e): [string, number] => [e, (o.byEndpoint[e] ?? 0) - (allowed[e] ?? 0)])
    .filter(([, n]) => n !== 0)
    .sort((a, b) => b[1] - a[1]);
}

/** The figure of one import: requests − (minimum + shared), the excess by endpoint in the note. */
export function importRequestsRow(label: string, o: Outcome): Row {
  const minimum = minimumOf(o.importMinimum);
  const { sharedAdvertisers } = o.importMinimum;
  const excess = excessByEndpoint(o);
  return {
    item: '18',
    measure: `import requests of ${label}: requests − (minimum + shared-name advertisers)`,
    value: o.requests - (minimum + sharedAdvertisers),
    unit: 'requests',
    target: { op: '<=', value: 0 },
    note: `${o.entities} entities, ${o.requests} requests vs minimum ${minimum} + ${sharedAdvertisers} shared-name advertisers; by endpoint beyond that: ${
      excess.length ? excess.map(([e, n]) => `${e} ${n > 0 ? '+' : ''}${n}`).join(', ') : 'none'
    }`,
  };
}

async function measured(label: string, scenario: Scenario, log: (line: string) => void): Promise<Row> {
  log(`  import of ${label}…`);
  const o = await runScenario(scenario, false);
  if (o.status !== 'SUCCEEDED') throw new Error(`import of ${label} ended ${o.status}`);
  const row = importRequestsRow(label, o);
  log(`    ${row.note}`);
  return row;
}

export const importRequests: Benchmark = {
  name: 'import-requests',
  title: 'Issue 18 — requests an import makes vs the fewest the API allows',
  async run({ quick, log }: BenchOptions) {
    const large = quick ? 10_000 : 100_000;
    const rows = [
      await measured('the demo network', { direction: 'IMPORT', entities: 0, rps: null, network: DEMO }, log),
      await measured(`~${large.toLocaleString('en')} entities`, { direction: 'IMPORT', entities: large, rps: null }, log),
    ];
    const notes = [
      'The minimum, counted in the emulator’s store: 1 network + 1 advertiser list + 1 zone list + 1 network-wide',
      'advertisement list + 1 campaign list per advertiser + 1 placement list per campaign; plus one advertisement list',
      'per advertiser whose name another advertiser of the network shares. The note breaks the difference down by endpoint',
      '(the emulator’s per-endpoint counts). Counts do not depend on the machine, so each network is imported once.',
    ];
    return { rows, notes };
  },
};
