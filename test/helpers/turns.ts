// Marks each turn of the event loop while some work runs: tests that say a
// long loop hands the loop back (issue 18, "No long stalls") look for a turn
// between two of the work's own entries in the same log.

/** Runs `work` while a setImmediate chain pushes 'turn' to `log` at each event-loop turn. */
export async function withTurns<T>(log: string[], work: () => Promise<T>): Promise<T> {
  let done = false;
  const turn = () => {
    if (done) return;
    log.push('turn');
    setImmediate(turn);
  };
  setImmediate(turn);
  try {
    return await work();
  } finally {
    done = true;
  }
}

/** The positions of `entry` in `log`. */
export const positionsOf = (log: string[], entry: string): number[] => log.flatMap((e, i) => (e === entry ? [i] : []));
