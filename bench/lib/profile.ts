// CPU profiles of the subject, taken in-process with the inspector (the same
// sampler as `node --cpu-prof`), summarised as where the time goes: self time
// per function and per area (our code, Prisma, the SQLite driver, HTTP, …).
import { writeFileSync, mkdirSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { ROOT } from './child.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  areas: { area: string; ms: number; share: number }[];
  functions: { name: string; where: string; ms: number; share: number }[];
}

/** Starts the CPU profiler in this process; the returned function stops it, writes the .cpuprofile and summarises it. */
export async function startProfile(label: string): Promise<() => Promise<ProfileSummary>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    session.disconnect();
    const dir = path.join(ROOT, '.tmp/bench/profiles');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${label}-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return summarise(profile, path.relative(ROOT, file));
  };
}

/** Runs fn under the CPU profiler. */
export async function profiled<T>(label: string, fn: () => Promise<T>): Promise<{ value: T; summary: ProfileSummary }> {
  const stop = await startProfile(label);
  let value: T;
  try {
    value = await fn();
  } catch (error) {
    await stop();
    throw error;
  }
  return { value, summary: await stop() };
}

export function summarise(profile: CpuProfile, file: string): ProfileSummary {
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  /** A native frame (no url) belongs to the area of the nearest caller that has one. */
  const areaOfNode = (id: number): string => {
    const frame = byId.get(id)!.callFrame;
    if (frame.url || SPECIAL[frame.functionName]) return areaOf(frame.url, frame.functionName);
    for (let p = parentOf.get(id); p !== undefined; p = parentOf.get(p)) {
      const caller = byId.get(p)!.callFrame;
      if (caller.url) return nativeArea(areaOf(caller.url, caller.functionName));
    }
    return 'native / V8 builtins';
  };
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const areas = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const area = areaOfNode(id);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '(native)';
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const entry = functions.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
  }
  const share = (us: number) => us / totalUs;
  return {
    file,
    totalMs: totalUs / 1000,
    areas: [...areas].map(([area, us]) => ({ area, ms: us / 1000, share: share(us) })).sort((a, b) => b.ms - a.ms),
    functions: [...functions.values()]
      .map((f) => ({ name: f.name, where: f.where, ms: f.us / 1000, share: share(f.us) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15),
  };
}

const SPECIAL: Record<string, string> = {
  '(idle)': 'idle (waiting: I/O, timers, the rate limit)',
  '(garbage collector)': 'garbage collection',
  '(program)': 'V8/native (program)',
  '(root)': 'V8/native (program)',
};

/** Native work called from the SQLite adapter is SQLite itself (prepare, step, bind). */
function nativeArea(callerArea: string): string {
  return callerArea === 'Prisma driver adapter' || callerArea === 'better-sqlite3 (SQLite)' ? 'SQLite (better-sqlite3 native)' : callerArea;
}

/** Which part of the stack a frame belongs to. */
function areaOf(url: string, fn: string): string {
  if (SPECIAL[fn]) return SPECIAL[fn];
  const rules: [RegExp, string][] = [
    [/^wasm:/, 'Prisma query compiler (wasm)'],
    [/^node:inspector/, 'profiler itself'],
    [/generated\/prisma|@prisma\/client|\/prisma\/client/, 'Prisma client (query building, result mapping)'],
    [/@prisma\/adapter|@prisma\/driver-adapter/, 'Prisma driver adapter'],
    [/better-sqlite3/, 'better-sqlite3 (SQLite)'],
    [/\/pg\/|pg-protocol|pg-pool/, 'pg (PostgreSQL)'],
    [/undici|node:internal\/deps\/undici/, 'undici (HTTP client)'],
    [/zod/, 'zod (validation)'],
    [/graphql-ws|\/ws\//, 'WebSocket (ws, graphql-ws)'],
    [/graphql|@envelop|@whatwg-node|@pothos/, 'GraphQL (yoga, envelop, pothos, graphql-js)'],
    [/pino/, 'logging (pino)'],
    [/\/src\/emulator\//, 'emulator'],
    [/\/src\//, 'Broadsync code (src/)'],
    [/\/bench\//, 'benchmark harness'],
    [/tsx|esbuild/, 'tsx loader'],
    [/^node:|^internal\//, 'Node.js internals (streams, net, timers)'],
    [/node_modules/, 'other dependencies'],
  ];
  for (const [pattern, area] of rules) if (pattern.test(url)) return area;
  return url ? 'other' : 'native / V8 builtins';
}

function shortUrl(url: string): string {
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) return clean.slice(nm + 'node_modules/'.length);
  return clean.startsWith(ROOT) ? path.relative(ROOT, clean) : clean;
}

export function formatSummary(summary: ProfileSummary, areas = 8, functions = 10): string[] {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return [
    `CPU profile (${(summary.totalMs / 1000).toFixed(1)} s sampled, ${summary.file}):`,
    '  by area (self time):',
    ...summary.areas.slice(0, areas).map((a) => `    ${pct(a.share).padStart(6)}  ${a.area}`),
    '  top functions (self time):',
    ...summary.functions.slice(0, functions).map((f) => `    ${pct(f.share).padStart(6)}  ${f.name}  ${f.where}`),
  ];
}
