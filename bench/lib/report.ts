// The results table: printed to the terminal, and kept in bench/RESULTS.md
// (with bench/results.json, so that `--only` updates its own rows and keeps
// the others' latest numbers).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './child.ts';
import { verdict, type BenchResult, type Row } from './types.ts';

const JSON_FILE = path.join(ROOT, 'bench/results.json');
const MD_FILE = path.join(ROOT, 'bench/RESULTS.md');

export interface Section extends BenchResult {
  name: string;
  title: string;
  machine: string;
  at: string;
  mode: 'full' | 'quick';
  seconds: number;
}

export function formatValue(row: Row): string {
  if (row.value === null) return 'not measurable';
  const v = row.value;
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return `${v.toFixed(digits)}${row.unit ? ` ${row.unit}` : ''}`;
}

const targetText = (row: Row) =>
  row.target ? `${row.target.op === '==' ? '=' : row.target.op === '<=' ? '≤' : '≥'} ${row.target.value}` : '';

export function printTable(sections: Section[], print: (line: string) => void): void {
  const rows = sections.flatMap((s) =>
    s.rows.map((r) => [
      r.item,
      r.measure,
      formatValue(r),
      targetText(r),
      verdict(r) === 'MISSED' ? '✗ MISSED' : verdict(r) === 'ok' ? '✓' : '',
    ]),
  );
  const header = ['#', 'measure', 'value', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  print(line(header));
  print(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) print(line(r));
}

export function saveResults(sections: Section[]): void {
  const previous: Section[] = existsSync(JSON_FILE) ? JSON.parse(readFileSync(JSON_FILE, 'utf8')) : [];
  const order = [
    'sync-floor',
    'sync-latency',
    'import-requests',
    'import-write',
    'event-loop',
    'query-throughput',
    'query-floor',
    'query-count',
    'fanout',
    'stalls',
    'read-load',
  ];
  const merged = new Map(previous.map((s) => [s.name, s]));
  for (const s of sections) merged.set(s.name, s);
  const all = [...merged.values()].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  writeFileSync(JSON_FILE, `${JSON.stringify(all, null, 2)}\n`);
  writeFileSync(MD_FILE, markdown(all));
  // Formatted as `biome ci` (part of npm test) expects, so a saved run never fails the next test run.
  execFileSync(path.join(ROOT, 'node_modules/.bin/biome'), ['format', '--write', JSON_FILE, MD_FILE], { stdio: 'ignore' });
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function markdown(sections: Section[]): string {
  const out: string[] = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (see [README.md](README.md) for what each benchmark does and how to run it).',
    'Every figure is a ratio against a baseline measured in the same run, or an absolute figure where the issue asks for one;',
    '**✗ MISSED** marks a target that was not met. Machines are shared and noisy: compare ratios, not absolute numbers.',
    '',
    '| # | measure | value | target | | note |',
    '|---|---|---|---|---|---|',
  ];
  for (const s of sections) {
    for (const r of s.rows) {
      const v = verdict(r);
      out.push(
        `| ${r.item} | ${cell(r.measure)} | ${cell(formatValue(r))} | ${targetText(r)} | ${v === 'MISSED' ? '**✗ MISSED**' : v === 'ok' ? '✓' : ''} | ${cell(r.note)} |`,
      );
    }
  }
  out.push('');
  for (const s of sections) {
    out.push(`## ${s.title} (\`${s.name}\`)`, '');
    out.push(`Measured ${s.at} (${s.mode} mode, ${s.seconds.toFixed(0)} s) on ${s.machine}.`, '');
    if (s.notes.length) {
      out.push('```text', ...s.notes, '```', '');
    }
  }
  return `${out.join('\n')}\n`;
}
