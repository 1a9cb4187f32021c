// startEmulator(): the Broadstreet emulator in this process, on a real socket.
import type { Server } from 'node:http';
import { NO_LIMITS } from './access.ts';
import { loadState, persistTo } from './state-file.ts';
import { EmulatorCore, type EmulatorConfig } from './core.ts';
import type { FaultInjector, FaultRate } from './faults.ts';
import { resolveSize, SIZE_PRESETS, type SeedSize, type SizeName } from './seed.ts';
import { createEmulatorServer, listen, API_BASE_PATH } from './server.ts';
import type { EmulatorStats } from './stats.ts';
import type { EmulatorStore } from './store.ts';

export interface EmulatorOptions extends Partial<SeedSize> {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  seed?: number;
  size?: SizeName | number;
  token?: string;
  authFailureStatus?: 401 | 403;
  rateLimit?: { rps: number } | null;
  latencyMs?: number;
  faults?: FaultRate | null;
  /** Keep the data in this file: resumed from it when it exists, saved to it after every change. */
  stateFile?: string;
}

export interface RunningEmulator {
  /** The API base, e.g. http://127.0.0.1:4010/api/1. */
  url: string;
  /** The server root, where /__emulator lives. */
  origin: string;
  port: number;
  core: EmulatorCore;
  readonly store: EmulatorStore;
  readonly faults: FaultInjector;
  readonly stats: EmulatorStats;
  readonly config: EmulatorConfig;
  reset(): void;
  /** An outage: stops listening and drops every connection, so calls are refused, until resume(). */
  suspend(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_SEED = 42;

export function emulatorConfig(options: EmulatorOptions = {}): EmulatorConfig {
  return {
    token: options.token ?? process.env.EMULATOR_TOKEN ?? 'demo-token',
    authFailureStatus: options.authFailureStatus ?? 401,
    rateLimit: options.rateLimit ?? null,
    latencyMs: options.latencyMs ?? 0,
    access: NO_LIMITS,
  };
}

/** The core alone (no socket): what the msw handlers drive. */
export function createEmulatorCore(options: EmulatorOptions = {}): EmulatorCore {
  const saved = options.stateFile ? loadState(options.stateFile) : null;
  const core = new EmulatorCore(
    options.seed ?? DEFAULT_SEED,
    resolveSize(options.size, sizeOverrides(options)),
    emulatorConfig(options),
    saved ?? undefined,
  );
  if (options.faults) core.faults.setRate(options.faults);
  return core;
}

const SIZE_KEYS = Object.keys(SIZE_PRESETS.tiny) as (keyof SeedSize)[];

/** The explicit entity counts among the options (networks, advertisersPerNetwork, …). */
function sizeOverrides(options: EmulatorOptions): Partial<SeedSize> {
  return Object.fromEntries(SIZE_KEYS.filter((key) => options[key] !== undefined).map((key) => [key, options[key]]));
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const core = createEmulatorCore(options);
  const state = options.stateFile ? persistTo(options.stateFile, core) : null;
  const host = options.host ?? '127.0.0.1';
  const server = createEmulatorServer(() => core);
  const port = await listen(server, options.port ?? 0, host);
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: `${origin}${API_BASE_PATH}`,
    origin,
    port,
    core,
    get store() {
      return core.store;
    },
    get faults() {
      return core.faults;
    },
    get stats() {
      return core.stats;
    },
    get config() {
      return core.config;
    },
    reset: () => core.reset(),
    suspend: () => stopServer(server),
    resume: async () => {
      await listen(server, port, host);
    },
    stop: async () => {
      if (server.listening) await stopServer(server);
      state?.flush();
    },
  };
}

function stopServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

export { EmulatorCore, type EmulatorConfig } from './core.ts';
export { FAULT_KINDS, type FaultKind, type FaultRate, type ScriptedFault } from './faults.ts';
export { SIZE_PRESETS, resolveSize, type SeedSize, type SizeName } from './seed.ts';
export type { StatsSnapshot, DuplicateGroup } from './stats.ts';
export { API_BASE_PATH } from './server.ts';
