// The README's Prometheus alert rules: valid YAML in Prometheus' rule-file
// shape, and every metric they name is one Broadsync exports (a renamed
// metric would otherwise leave an alert that never fires).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registry } from '../../src/observability/metrics.ts';
import { ROOT } from '../helpers/process.ts';

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
}

function readmeRules(): Rule[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- alert-rules:start -->\n```yaml\n([\s\S]*?)```\n<!-- alert-rules:end -->/.exec(readme);
  if (!block) throw new Error('README.md has no alert-rules block');
  const doc = parse(block[1]!) as { groups: { name: string; rules: Rule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}

/** Series names Prometheus sees: counters and gauges as named, histograms with _bucket, _sum and _count. */
async function exportedSeries(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const metric of await registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (metric.type === ('histogram' as never)) for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
  }
  return names;
}

describe('README alert rules', () => {
  it('cover a failure rate, runs outlasting their schedule and Broadstreet unreachable', () => {
    const alerts = readmeRules().map((r) => r.alert);
    expect(alerts).toEqual(expect.arrayContaining(['BroadsyncSyncFailureRate', 'BroadsyncRunOutlastsSchedule', 'BroadstreetUnreachable']));
    for (const rule of readmeRules()) {
      expect(rule.expr.trim().length).toBeGreaterThan(0);
      expect(rule.labels?.severity).toMatch(/^(warning|critical)$/);
    }
  });

  it('name only metrics the project exports', async () => {
    const exported = await exportedSeries();
    const used = new Set(readmeRules().flatMap((r) => r.expr.match(/\bbroadsync_[a-z_]+/g) ?? []));
    expect(used.size).toBeGreaterThanOrEqual(5);
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
  });

  it('use label values the metrics carry', () => {
    const rules = readmeRules();
    const expr = (alert: string) => rules.find((r) => r.alert === alert)!.expr;
    expect(expr('BroadsyncRunOutlastsSchedule')).toContain('outcome="run_in_progress"');
    expect(expr('BroadsyncSyncFailureRate')).toContain('status=~"FAILED|PARTIAL"');
  });
});
