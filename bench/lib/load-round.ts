// One autocannon round of one GraphQL operation against a child server
// (app-server.ts or floor.ts): req/s, and the server's own CPU milliseconds per
// request (its `cpuMs` handler), so that the load generator's CPU is not counted.
import autocannon from 'autocannon';
import type { Child } from './child.ts';

export interface Round {
  rps: number;
  cpuMsPerRequest: number;
}

/** Loads `server` with `body` for `seconds` over `connections`; any failed request fails the round. */
export async function loadRound(server: Child, body: string, seconds: number, connections: number): Promise<Round> {
  const cpuBefore = await server.call<number>('cpuMs');
  const started = performance.now();
  const requests = await new Promise<number>((resolve, reject) => {
    autocannon(
      {
        url: `${server.info.url}/graphql`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections,
        duration: seconds,
      },
      (error, result) => {
        if (error) return reject(error);
        const failed = result.errors + result.non2xx + result.timeouts;
        if (failed > 0) return reject(new Error(`${failed} failed requests under load`));
        resolve(result.requests.total);
      },
    );
  });
  const elapsed = (performance.now() - started) / 1000;
  const cpu = (await server.call<number>('cpuMs')) - cpuBefore;
  return { rps: requests / elapsed, cpuMsPerRequest: cpu / requests };
}
