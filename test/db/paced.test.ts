// A chain of awaited SQLite statements (better-sqlite3 settles them in
// microtasks) hands the event loop back every PACE_MS: a timer due meanwhile
// runs before the chain ends, not after it.
import { describe, expect, it } from 'vitest';
import { PACE_MS } from '../../src/db/paced.ts';
import { db, useTestDatabase } from '../helpers/db.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';

const skip = databaseSkipReason() || (TEST_PROVIDER === 'sqlite' ? '' : 'SQLite only (PostgreSQL statements do I/O)');

describe.skipIf(!!skip)('paced SQLite statements', () => {
  useTestDatabase();

  it('lets a due timer run during a long chain of statements, and gives the loop a turn at most every PACE_MS', async () => {
    await db().network.count();
    let timerRanAt: number | null = null;
    let turns = 0;
    let counting = true;
    const countTurns = () => {
      turns += 1;
      if (counting) setImmediate(countTurns);
    };
    const started = performance.now();
    setTimeout(() => (timerRanAt = performance.now() - started), 0);
    setImmediate(countTurns);
    let statements = 0;
    while (performance.now() - started < 10 * PACE_MS) {
      await db().network.count();
      statements += 1;
    }
    const elapsed = performance.now() - started;
    counting = false;
    expect(timerRanAt).not.toBeNull();
    expect(timerRanAt!).toBeLessThan(3 * PACE_MS);
    // Turns come from the pacing only: about one per PACE_MS, far fewer than the statements.
    expect(turns).toBeGreaterThanOrEqual(5);
    expect(turns).toBeLessThan(statements / 2);
    expect(turns).toBeLessThanOrEqual(Math.ceil(elapsed / PACE_MS) + 2);
  });
});
