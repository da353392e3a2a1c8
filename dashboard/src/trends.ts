// The trends across result files: each headline metric of the regression gate (harness/src/compare/metrics.ts,
// so the dashboard plots what the gate judges), its median per file, oldest first.
import { median, metricsOf } from '../../harness/src/compare/metrics.js';
import type { ResultFile } from '../../harness/src/results/schema.js';

export interface TrendSeries {
  metric: string;
  points: Array<{ commit: string; created_at: string; value: number }>;
}

export function headlineTrends(ordered: readonly ResultFile[]): TrendSeries[] {
  const trends = new Map<string, TrendSeries>();
  for (const file of ordered) {
    for (const metric of metricsOf(file).filter((m) => m.headline)) {
      const series = trends.get(metric.name) ?? { metric: metric.name, points: [] };
      series.points.push({
        commit: file.git_commit.slice(0, 8),
        created_at: file.created_at,
        value: median(metric.samples),
      });
      trends.set(metric.name, series);
    }
  }
  return [...trends.values()];
}
