// Who executes runs. The embedded executor runs them in this process and, on
// start, resumes the runs a dead process left behind. Scale-out replaces it
// with a durable queue (see src/scaleout).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

export interface RunExecutor {
  /** Hands a queued run over for execution (returns once it is accepted). */
  submit(runId: number): Promise<void>;
  /** Starts executing, including runs left unfinished by a dead process. */
  start(): Promise<void>;
  /** Stops taking runs; running ones stop at their next entity boundary and stay resumable. */
  stop(): Promise<void>;
}

/** This process's identity as a run owner: host, pid and a nonce. */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

/** Is the owner of a run alive? Same host: ask the OS; elsewhere: trust a fresh heartbeat. */
export function ownerAlive(owner: string | null, heartbeatAt: Date | null, staleMs: number): boolean {
  if (!owner) return false;
  if (owner === INSTANCE_ID) return true;
  if (ownerProcessGone(owner)) return false;
  return heartbeatAt !== null && Date.now() - heartbeatAt.getTime() < staleMs;
}

/** Known to be gone: an owner on this host whose process no longer exists (a stopped one still does). */
export function ownerProcessGone(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
