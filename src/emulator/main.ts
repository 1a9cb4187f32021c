// `npm run emulator -- [--port 4010] [--seed 42] [--size small] …`: the
// Broadstreet emulator alone, until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { FAULT_KINDS, type FaultKind } from './faults.ts';
import { startEmulator, type EmulatorOptions } from './index.ts';

const USAGE = `usage: npm run emulator -- [options]
  --port N            port (default EMULATOR_PORT or 4010; 0 = any free port)
  --host H            address (default 127.0.0.1)
  --seed N            data seed (default 42)
  --size S            tiny | small | medium | large | a number of entities (default small)
  --token T           the accepted access token (default EMULATOR_TOKEN or demo-token)
  --auth-status N     401 or 403 for a bad token (default 401)
  --rate-limit N      requests per second before 429s (default: none)
  --latency MS        added to every answer (default 0)
  --fault-rate R      share of requests given a fault, 0..1 (default 0)
  --fault-kinds K,…   ${FAULT_KINDS.join(', ')} (default 5xx,reset)`;

function parse(argv: string[]): EmulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      size: { type: 'string' },
      token: { type: 'string' },
      'auth-status': { type: 'string' },
      'rate-limit': { type: 'string' },
      latency: { type: 'string' },
      'fault-rate': { type: 'string' },
      'fault-kinds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const num = (name: string, raw: string | undefined) => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${JSON.stringify(raw)}`);
    return n;
  };
  const size = values.size === undefined ? undefined : /^\d+$/.test(values.size) ? Number(values.size) : values.size;
  const authStatus = num('auth-status', values['auth-status']);
  if (authStatus !== undefined && authStatus !== 401 && authStatus !== 403) throw new Error('--auth-status must be 401 or 403');
  const rps = num('rate-limit', values['rate-limit']);
  const faultRate = num('fault-rate', values['fault-rate']);
  const kinds = (values['fault-kinds'] ?? '5xx,reset').split(',').map((k) => k.trim()) as FaultKind[];
  for (const kind of kinds) if (!FAULT_KINDS.includes(kind)) throw new Error(`unknown fault kind ${JSON.stringify(kind)}`);
  return {
    port: num('port', values.port) ?? Number(process.env.EMULATOR_PORT ?? 4010),
    host: values.host ?? '127.0.0.1',
    seed: num('seed', values.seed) ?? 42,
    size: size as EmulatorOptions['size'],
    ...(values.token ? { token: values.token } : {}),
    authFailureStatus: (authStatus ?? 401) as 401 | 403,
    rateLimit: rps ? { rps } : null,
    latencyMs: num('latency', values.latency) ?? 0,
    faults: faultRate ? { rate: faultRate, kinds } : null,
  };
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const emulator = await startEmulator(options);
  const counts = emulator.store.counts();
  console.log(
    `Broadstreet emulator serving ${emulator.url} (seed ${options.seed}, ${Object.values(counts).reduce((a, b) => a + b)} entities)`,
  );
  console.log(`inspection: ${emulator.origin}/__emulator/stats`);
  const stop = () => void emulator.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${(error as Error).message}\n${USAGE}\n`);
  process.exit(1);
});
