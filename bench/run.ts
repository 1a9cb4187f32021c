// `npm run bench [-- --quick] [--only a,b] [--profile]`: runs the benchmarks,
// prints each figure beside its target (misses marked), and keeps the table
// in bench/RESULTS.md. Every benchmark is also runnable alone (--only).
import { parseArgs } from 'node:util';

// Before any configuration is loaded (loggers come from it): retried faults would otherwise flood the output.
process.env.LOG_LEVEL ??= 'silent';
process.env.NODE_ENV ??= 'production';

const { benchmarks, extraBenchmarks } = await import('./all.ts');
const { describeMachine } = await import('./lib/machine.ts');
const { printTable, saveResults } = await import('./lib/report.ts');
type Section = import('./lib/report.ts').Section;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'no-save': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
const everything = [...benchmarks, ...extraBenchmarks];
const names = everything.map((b) => b.name);
if (values.help) {
  console.log(`usage: npm run bench -- [--quick] [--only ${names.join(',')}] [--profile] [--no-save]`);
  process.exit(0);
}
const only = values.only
  ?.split(',')
  .map((n) => n.trim())
  .filter(Boolean);
const unknown = only?.filter((n) => !names.includes(n)) ?? [];
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')} (known: ${names.join(', ')})`);
  process.exit(2);
}

const machine = describeMachine();
const mode = values.quick ? 'quick' : 'full';
console.log(`Broadsync benchmarks (${mode}) on ${machine}\n`);
const started = performance.now();
const sections: Section[] = [];
const selected = only ? everything.filter((b) => only.includes(b.name)) : benchmarks;
let failed = false;
for (const bench of selected) {
  console.log(`▶ ${bench.name}: ${bench.title}`);
  const t0 = performance.now();
  try {
    const result = await bench.run({ quick: values.quick!, profile: values.profile!, log: (line) => console.log(line) });
    const seconds = (performance.now() - t0) / 1000;
    sections.push({ ...result, name: bench.name, title: bench.title, machine, at: new Date().toISOString(), mode, seconds });
    console.log(`  (${seconds.toFixed(0)} s)`);
  } catch (error) {
    failed = true;
    console.error(`✗ ${bench.name} failed: ${(error as Error).stack ?? error}`);
  }
}
console.log('');
printTable(sections, (line) => console.log(line));
for (const s of sections) if (s.notes.length) console.log(`\n${s.name}:\n${s.notes.map((n) => `  ${n}`).join('\n')}`);
console.log(`\n${selected.length} benchmark(s) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
if (!values['no-save']) {
  saveResults(sections);
  console.log('results written to bench/RESULTS.md');
}
process.exit(failed ? 1 : 0);
