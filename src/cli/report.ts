// What the CLI prints: a run's final report and the run history, as plain text.
import type { RunCount, RunError, RunItem, RunReport, RunSummary } from './operations.ts';

type CountColumn = [header: string, kind: Exclude<keyof RunCount, 'entityType'>];
/** A run's counts; a dry run's speak of planned work (it created nothing). */
const COUNT_COLUMNS: CountColumn[] = [
  ['created', 'created'],
  ['updated', 'updated'],
  ['deleted', 'deleted'],
  ['unchanged', 'unchanged'],
  ['conflicts', 'conflicts'],
  ['failed', 'failed'],
  ['skipped', 'skipped'],
];
const DRY_RUN_COLUMNS: CountColumn[] = [
  ['to create', 'plannedCreates'],
  ['to update', 'plannedUpdates'],
  ['to delete', 'plannedDeletes'],
  ['unchanged', 'unchanged'],
  ['conflicts', 'conflicts'],
  ['failed', 'failed'],
  ['skipped', 'skipped'],
];
const ERRORS_SHOWN_PER_CODE = 10;

/** "SyncRun:12" (the Relay id, base64) → "12"; anything else as it is. */
export function shortRunId(id: string): string {
  const decoded = Buffer.from(id, 'base64').toString('utf8');
  const match = /^SyncRun:(\d+)$/.exec(decoded);
  return match ? match[1]! : id;
}

export function describeRun(run: Pick<RunSummary, 'direction' | 'dryRun' | 'networkId'>): string {
  return `${run.dryRun ? 'dry run of an ' : ''}${run.direction.toLowerCase()} of network ${run.networkId}`;
}

export function formatReport(run: RunReport): string {
  const lines = [`Run ${shortRunId(run.id)}: ${describeRun(run)} — ${run.status}${durationOf(run) ? ` in ${durationOf(run)}` : ''}`];
  if (run.failureReason) lines.push(`Reason: ${run.failureReason}`);
  lines.push('', ...countsTable(run), '', ...errorsByCode(run.errors));
  return `${lines.join('\n')}\n`;
}

function countsTable(run: RunReport): string[] {
  if (run.counts.length === 0) return ['No entities were processed.'];
  const columns = run.dryRun ? DRY_RUN_COLUMNS : COUNT_COLUMNS;
  const rows = run.counts.map((c) => [c.entityType, ...columns.map(([, k]) => String(c[k] ?? 0))]);
  const totals = columns.map(([, k]) => String(run.counts.reduce((sum, c) => sum + (c[k] ?? 0), 0)));
  return table(['entity type', ...columns.map(([h]) => h)], [...rows, ['total', ...totals]], [false, ...columns.map(() => true)]);
}

/** What a plan's outcome asks for, in the plan's words. */
const ACTIONS: Record<string, string> = {
  PLANNED_CREATE: 'CREATE',
  PLANNED_UPDATE: 'UPDATE',
  PLANNED_DELETE: 'DELETE',
  CONFLICT: 'CONFLICT',
  BLOCKED: 'BLOCKED',
  UNCHANGED: 'UNCHANGED',
  // Dry runs made before PLANNED_CREATE.
  PLANNED: 'CREATE',
  RENAMED: 'CREATE',
};

/** A dry run's plan: one row per entity with something to do (unchanged ones summed up), then how to apply it. */
export function formatPlan(run: RunReport, items: RunItem[]): string {
  // An import's plan stores only what it would change; its counts hold the unchanged.
  const unchanged =
    run.direction === 'IMPORT' ? run.counts.reduce((n, c) => n + c.unchanged, 0) : items.filter((i) => i.outcome === 'UNCHANGED').length;
  const rows = items
    .filter((i) => i.outcome !== 'UNCHANGED')
    .map((i) => [ACTIONS[i.outcome] ?? i.outcome, i.entityType, i.name ?? i.mongoId, i.mongoId, detailOf(i)]);
  const lines = [`Plan of run ${shortRunId(run.id)}: ${describeRun(run)} — ${run.status}`];
  if (run.failureReason) lines.push(`Reason: ${run.failureReason}`);
  lines.push('');
  if (rows.length === 0) lines.push('Nothing to do.');
  else lines.push(...table(['action', 'entity type', 'name', 'mongoId', 'details'], rows, [false, false, false, false, false]));
  lines.push('', `${unchanged} unchanged.`);
  const actionable = items.some((i) => i.outcome in ACTIONS && !['CONFLICT', 'BLOCKED', 'UNCHANGED'].includes(i.outcome));
  if (actionable) lines.push(`Apply it: broadsync apply ${shortRunId(run.id)}`);
  return `${lines.join('\n')}\n`;
}

/** What a run did per entity (the apply of a plan): its outcome, the entity, and why. */
export function formatItems(items: RunItem[]): string {
  if (items.length === 0) return 'No entities in its report.\n';
  const rows = items.map((i) => [i.outcome, i.entityType, i.name ?? i.mongoId, i.mongoId, detailOf(i)]);
  return `${table(['outcome', 'entity type', 'name', 'mongoId', 'details'], rows, [false, false, false, false, false]).join('\n')}\n`;
}

function detailOf(item: RunItem): string {
  const parts: string[] = [];
  if (item.resolvedName) parts.push(`as "${item.resolvedName}" (the name is taken in Broadstreet)`);
  for (const c of item.changes) {
    parts.push(
      `${c.field}: ${JSON.stringify(c.from ?? null)} → ${JSON.stringify(c.to ?? null)}${c.driftChecked ? '' : ' (not drift-checked)'}`,
    );
  }
  if (item.message && !item.resolvedName) parts.push(item.message);
  return parts.join('; ');
}

function errorsByCode(errors: RunError[]): string[] {
  if (errors.length === 0) return ['No errors.'];
  const byCode = new Map<string, RunError[]>();
  for (const error of errors) byCode.set(error.code, [...(byCode.get(error.code) ?? []), error]);
  const lines = [`Errors (${errors.length}):`];
  for (const [code, group] of [...byCode].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${code} × ${group.length}`);
    for (const error of group.slice(0, ERRORS_SHOWN_PER_CODE)) lines.push(`    ${subjectOf(error)}${error.message}`);
    if (group.length > ERRORS_SHOWN_PER_CODE) lines.push(`    … and ${group.length - ERRORS_SHOWN_PER_CODE} more`);
  }
  return lines;
}

function subjectOf(error: RunError): string {
  if (!error.entityType) return '';
  const id = error.broadstreetId != null ? `#${error.broadstreetId}` : error.mongoId ? error.mongoId : '';
  return `${error.entityType}${id ? ` ${id}` : ''}: `;
}

export function formatRuns(runs: RunSummary[], totalCount: number): string {
  if (runs.length === 0) return 'No sync runs yet.\n';
  const rows = runs.map((r) => [
    shortRunId(r.id),
    r.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    `${r.direction}${r.dryRun ? ' (dry run)' : ''}`,
    String(r.networkId),
    r.status,
    `${r.percentage}%`,
    durationOf(r) ?? '',
  ]);
  const lines = table(['run', 'created', 'direction', 'network', 'status', 'done', 'duration'], rows, [
    true,
    false,
    false,
    true,
    false,
    true,
    true,
  ]);
  if (totalCount > runs.length) lines.push(`(${runs.length} of ${totalCount}; --limit shows more)`);
  return `${lines.join('\n')}\n`;
}

function durationOf(run: Pick<RunSummary, 'startedAt' | 'finishedAt'>): string | undefined {
  if (!run.startedAt || !run.finishedAt) return undefined;
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function table(header: string[], rows: string[][], alignRight: boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (alignRight[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
