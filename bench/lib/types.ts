// What a benchmark is and what it reports.

export interface Target {
  op: '<=' | '>=' | '==';
  value: number;
}

export interface Row {
  /** The item: "1", "2", … */
  item: string;
  measure: string;
  /** null: not measurable here (see note). */
  value: number | null;
  unit: string;
  target?: Target;
  /** How it was measured: sizes, rounds, baseline figures. */
  note: string;
}

export interface BenchOptions {
  quick: boolean;
  /** Take a CPU profile of subject runs and print where the time goes. */
  profile: boolean;
  log(line: string): void;
}

export interface BenchResult {
  rows: Row[];
  /** Deviations from the wording, profiles, observations. */
  notes: string[];
}

export interface Benchmark {
  name: string;
  title: string;
  run(options: BenchOptions): Promise<BenchResult>;
}

export function verdict(row: Row): 'ok' | 'MISSED' | '' {
  if (!row.target || row.value === null || Number.isNaN(row.value)) return '';
  const { op, value } = row.target;
  const ok = op === '<=' ? row.value <= value : op === '>=' ? row.value >= value : row.value === value;
  return ok ? 'ok' : 'MISSED';
}
