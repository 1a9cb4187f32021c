// The fencing arithmetic of a run's lease, on a fake clock.
import { describe, expect, it } from 'vitest';
import { Lease, LeaseTooShortError, predecessorWaitMs } from '../../src/sync/lease.ts';

const terms = { leaseMs: 10_000, requestTimeoutMs: 3_000 };

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('Lease.checkWrite', () => {
  it('lets a write go only while more than one request timeout of the lease is left', () => {
    const c = clock();
    const lease = new Lease(terms, c.now, c.now());
    expect(() => lease.checkWrite('POST /advertisers')).not.toThrow();
    c.advance(6_999);
    expect(lease.remainingMs()).toBe(3_001);
    expect(() => lease.checkWrite('POST /advertisers')).not.toThrow();
    c.advance(1);
    expect(() => lease.checkWrite('POST /advertisers')).toThrow(LeaseTooShortError);
    expect(() => lease.checkWrite('POST /advertisers')).toThrow(
      /3000 ms left, not more than one request timeout \(3000 ms\); POST \/advertisers not sent/,
    );
  });

  it('a renewal extends it from when the renewal began, never backwards', () => {
    const c = clock();
    const lease = new Lease(terms, c.now, c.now());
    c.advance(5_000);
    const began = c.now();
    c.advance(2_000); // the renewal took 2 s to be acknowledged
    lease.renewed(began);
    expect(lease.remainingMs()).toBe(8_000);
    lease.renewed(began - 4_000);
    expect(lease.remainingMs()).toBe(8_000);
  });

  it('a process paused past its lease wakes unable to write (SIGSTOP for 18 s)', () => {
    const c = clock();
    const lease = new Lease(terms, c.now, c.now());
    c.advance(18_000);
    const error = (() => {
      try {
        lease.checkWrite('PUT /zones/1');
      } catch (e) {
        return e as LeaseTooShortError;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(LeaseTooShortError);
    expect(error!.lostOwnership).toBe(true);
    expect(error!.message).toContain('0 ms left');
  });

  it('once the run is known lost, nothing is sent whatever the lease says', () => {
    const c = clock();
    const lease = new Lease(terms, c.now, c.now());
    lease.lost = true;
    expect(() => lease.checkWrite('DELETE /campaigns/3')).toThrow(/another worker took this run over/);
  });
});

describe('predecessorWaitMs', () => {
  const at = 5_000_000;
  it('waits until the predecessor lease has been expired for longer than a request timeout', () => {
    const heartbeatAt = new Date(at - 4_000);
    // lease ends at at+6000; plus the request timeout: at+9000
    expect(predecessorWaitMs({ owner: 'h:1:a', heartbeatAt, gone: false }, terms, at)).toBe(9_001);
    expect(predecessorWaitMs({ owner: 'h:1:a', heartbeatAt, gone: false }, terms, at + 9_000)).toBe(1);
    expect(predecessorWaitMs({ owner: 'h:1:a', heartbeatAt, gone: false }, terms, at + 9_001)).toBe(0);
  });

  it('does not wait for a predecessor known gone, one that released the run, or none', () => {
    const heartbeatAt = new Date(at);
    expect(predecessorWaitMs({ owner: 'h:1:a', heartbeatAt, gone: true }, terms, at)).toBe(0);
    expect(predecessorWaitMs({ owner: null, heartbeatAt, gone: false }, terms, at)).toBe(0);
    expect(predecessorWaitMs(null, terms, at)).toBe(0);
  });

  it('the arithmetic holds the invariant: the last write the old owner could send ends before the new owner acts', () => {
    // The old owner's last renewal began at r; it may send until r + lease - timeout, and that send ends by r + lease.
    for (const r of [0, 1_234, 9_999]) {
      const c = clock(at + r);
      const old = new Lease(terms, c.now, c.now());
      let lastSendEnds = Number.NEGATIVE_INFINITY;
      for (let t = 0; t < 20_000; t += 50) {
        try {
          old.checkWrite('POST /advertisers');
          lastSendEnds = c.now() + terms.requestTimeoutMs;
        } catch {}
        c.advance(50);
      }
      // The heartbeat stored at r (no later) is what the new owner sees.
      const newOwnerActsAt = at + r + predecessorWaitMs({ owner: 'x:2:b', heartbeatAt: new Date(at + r), gone: false }, terms, at + r);
      expect(lastSendEnds).toBeLessThan(newOwnerActsAt);
    }
  });
});
