// Live progress of a run on the terminal: the whole run on top, then one bar
// per phase with its counts and errors (cli-progress). Off a terminal (CI
// logs, pipes) cli-progress prints all bars as plain lines every second.
import cliProgress from 'cli-progress';
import type { ProgressEvent } from './operations.ts';

interface PhaseBar {
  bar: cliProgress.SingleBar;
  errors: number;
}

const PHASE_WIDTH = 14;
const TERMINAL = ['SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED'];
/** The order phases run in, imports and exports alike (each skips the ones it has not). */
const PHASE_ORDER = ['VALIDATION', 'NETWORKS', 'ADVERTISERS', 'ZONES', 'ADVERTISEMENTS', 'CAMPAIGNS', 'PLACEMENTS', 'CLEANUP'];

/**
 * What an import's phase counts when it is not its own entities: advertisements
 * and campaigns are listed per advertiser, placements per campaign.
 */
const IMPORT_UNITS: Record<string, string> = { ADVERTISEMENTS: 'advertisers', CAMPAIGNS: 'advertisers', PLACEMENTS: 'campaigns' };

/** "12/40" (with its unit); a phase that ended before any of its counts arrived (ticks are coalesced) shows "done". */
function countsOf(current: number, total: number, ended: boolean, unit = ''): string {
  return ended && total === 0 ? 'done' : `${current}/${total}${unit ? ` ${unit}` : ''}`;
}

export class PhaseBars {
  private readonly multibar: cliProgress.MultiBar;
  private readonly overall: cliProgress.SingleBar;
  private readonly phases = new Map<string, PhaseBar>();
  private current: string | null = null;
  private errors = 0;

  private readonly units: Record<string, string>;

  constructor(title: string, direction: string, stream: NodeJS.WritableStream = process.stderr) {
    this.units = direction === 'IMPORT' ? IMPORT_UNITS : {};
    this.multibar = new cliProgress.MultiBar(
      {
        stream,
        format: '{label} {bar} {counts} | errors {errors} | {message}',
        barsize: 30,
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 1000,
      },
      cliProgress.Presets.shades_classic,
    );
    this.overall = this.multibar.create(
      100,
      0,
      { label: title.padEnd(PHASE_WIDTH), errors: 0, message: 'queued' },
      {
        format: '{label} {bar} {percentage}% | errors {errors} | {status}',
      },
    );
    this.overall.update(0, { status: 'QUEUED' });
  }

  update(event: ProgressEvent): void {
    this.errors += event.errors.length;
    if (event.phase) this.updatePhase(event.phase, event);
    this.overall.update(event.percentage, { status: event.status, errors: this.errors });
    for (const warning of event.warnings) this.multibar.log(`warning: ${warning}\n`);
  }

  /** A line above the bars; they are redrawn below it, in place. */
  log(text: string): void {
    this.multibar.log(`${text}\n`);
  }

  stop(): void {
    this.multibar.stop();
  }

  private updatePhase(name: string, event: ProgressEvent): void {
    if (name !== this.current) {
      if (this.current && PHASE_ORDER.indexOf(name) < PHASE_ORDER.indexOf(this.current)) {
        // Back to an earlier phase: the run was resumed after its process stopped and
        // does its phases again. The same bars start over; none is left claiming "done".
        for (const [phaseName, phase] of this.phases) {
          if (PHASE_ORDER.indexOf(phaseName) >= PHASE_ORDER.indexOf(name))
            phase.bar.update(0, { counts: '', message: 'again, after the restart' });
        }
      } else {
        // A phase ends before the next begins; its last ticks may have been coalesced away.
        const previous = this.current ? this.phases.get(this.current) : undefined;
        if (previous) {
          const total = previous.bar.getTotal();
          previous.bar.update(total, { counts: countsOf(total, total, true, this.units[this.current!]), message: 'done' });
        }
      }
      this.current = name;
    }
    let phase = this.phases.get(name);
    if (!phase) {
      phase = {
        bar: this.multibar.create(event.total, 0, { label: name.padEnd(PHASE_WIDTH), errors: 0, counts: '', message: '' }),
        errors: 0,
      };
      this.phases.set(name, phase);
    }
    phase.errors += event.errors.length;
    const total = Math.max(event.total, event.current);
    const ended = TERMINAL.includes(event.status);
    phase.bar.setTotal(total);
    phase.bar.update(event.current, {
      counts: countsOf(event.current, total, ended, this.units[name]),
      errors: phase.errors,
      message: event.message.slice(0, 60),
    });
  }
}
