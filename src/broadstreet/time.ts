// Clocks and waits shared by the limiter and the retry loop.

/** Wall-clock milliseconds with sub-millisecond precision (comparable across processes). */
export const wallClock = (): number => performance.timeOrigin + performance.now();

/** Resolves after ms; rejects with the signal's own reason when it aborts first. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
