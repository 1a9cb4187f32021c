// Child processes for the parts of a benchmark that must not share an event
// loop with what is measured (the emulator, a server under load), driven over
// Node's IPC channel with a tiny request/response protocol.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

type Handler = (args: any) => unknown;

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

export interface Child {
  process: ChildProcess;
  /** What the child sent with its `ready` message. */
  info: Record<string, any>;
  call<T = any>(cmd: string, args?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** Starts a TypeScript entry (through scripts/run.mjs) and waits for its `ready` message. */
export async function startChild(entry: string, env: Record<string, string> = {}, execArgv: string[] = []): Promise<Child> {
  const child = fork(path.join(ROOT, 'scripts/run.mjs'), [entry], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'production', ...env },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const info = await new Promise<Record<string, any>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start within 120 s`)), 120_000);
    child.once('message', (message: any) => {
      clearTimeout(timer);
      resolve(message);
    });
    void exited.then((code) => reject(new Error(`${entry} exited (${code}) before it was ready`)));
  });
  child.on('message', (message: Reply) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(`${entry}: ${message.error}`));
    else waiter.resolve(message.result);
  });
  void exited.then(() => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${entry} exited`));
    pending.clear();
  });
  return {
    process: child,
    info,
    call(cmd, args) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, cmd, args });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** In a child: announces readiness and answers the parent's calls with `handlers`. */
export function serveParent(ready: Record<string, unknown>, handlers: Record<string, Handler>, onStop: () => Promise<void>): void {
  if (!process.send) throw new Error('this entry runs as a benchmark child process (with an IPC channel)');
  process.on('message', (message: { id: number; cmd: string; args: unknown }) => {
    const handler = handlers[message.cmd];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${message.cmd}`);
        return handler(message.args);
      })
      .then(
        (result) => process.send!({ id: message.id, result: result ?? null }),
        (error: unknown) => process.send!({ id: message.id, error: String((error as Error)?.stack ?? error) }),
      );
  });
  const stop = () => void onStop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  process.send(ready);
}
