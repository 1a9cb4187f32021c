// The CLI's bars when a run is resumed after its server restarted: the run
// does its phases again, and the same bars start over in place.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PhaseBars } from '../../src/cli/progress-bars.ts';
import type { ProgressEvent } from '../../src/cli/operations.ts';

let seq = 0;
const event = (
  phase: string,
  current: number,
  total: number,
  percentage: number,
  status = 'RUNNING',
  warnings: string[] = [],
): ProgressEvent => ({
  seq: ++seq,
  status,
  phase,
  current,
  total,
  percentage,
  message: `${phase.toLowerCase()} ${current}/${total}`,
  errors: [],
  warnings,
});

/** Feeds the events, stops, and returns the last frame drawn: one line per bar. */
function lastFrame(events: ProgressEvent[]): string[] {
  const stream = new PassThrough();
  let output = '';
  stream.on('data', (chunk) => (output += chunk));
  const bars = new PhaseBars('run 7', 'EXPORT', stream);
  for (const e of events) bars.update(e);
  bars.stop();
  const lines = output.split('\n').filter((line) => /\S/.test(line) && !line.startsWith('warning:'));
  const first = lines.map((l) => l.startsWith('run 7')).lastIndexOf(true);
  return lines.slice(first);
}

describe('progress bars', () => {
  it('marks a phase done when the next one starts', () => {
    const frame = lastFrame([event('NETWORKS', 1, 1, 5), event('ADVERTISERS', 3, 10, 10)]);
    expect(frame).toHaveLength(3);
    expect(frame[1]).toMatch(/^NETWORKS\s+\S+ 1\/1 \| errors 0 \| done$/);
    expect(frame[2]).toMatch(/^ADVERTISERS\s+\S+ 3\/10 \| errors 0 \|/);
  });

  it('after a restart the run does its phases again: the same bars start over, none claims a phase it had not finished', () => {
    const frame = lastFrame([
      event('NETWORKS', 1, 1, 5),
      event('ADVERTISERS', 10, 10, 20),
      event('ZONES', 4, 10, 25),
      // The server restarted; the resumed run begins at its first phase again.
      event('NETWORKS', 0, 1, 25, 'RUNNING', ['resumed (attempt 2): the process executing it stopped']),
      event('NETWORKS', 1, 1, 25),
      event('ADVERTISERS', 2, 10, 25),
    ]);
    // One overall bar and one per phase seen: nothing drawn twice.
    expect(frame.map((line) => line.split(/\s+/)[0])).toEqual(['run', 'NETWORKS', 'ADVERTISERS', 'ZONES']);
    expect(frame[1]).toMatch(/ 1\/1 \| errors 0 \| done$/);
    expect(frame[2]).toMatch(/ 2\/10 \| errors 0 \| advertisers 2\/10$/);
    // ZONES was cut short by the restart and has not been redone yet.
    expect(frame[3]).not.toMatch(/done/);
    expect(frame[3]).toMatch(/again, after the restart$/);
  });
});
