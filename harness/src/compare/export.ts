// Headline metrics in the formats of trackers people already run: Bencher's Metric Format (BMF: benchmark name
// -> measure slug -> {value, lower_value, upper_value}) and github-action-benchmark's custom tools (a list of
// {name, unit, value, range, extra}, one file per direction: customBiggerIsBetter, customSmallerIsBetter).
import type { ResultFile } from '../results/schema.js';
import { median, metricsOf, type Metric } from './metrics.js';

export type BencherMetricFormat = Record<
  string,
  Record<string, { value: number; lower_value?: number; upper_value?: number }>
>;

export interface ActionBenchmarkEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

// A measure slug from a unit: lower case, [a-z0-9-], at most 64 characters (BMF's limit for slugs).
export function measureSlug(unit: string): string {
  return (
    unit
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 64) || 'value'
  );
}

const headline = (file: ResultFile): Metric[] => metricsOf(file).filter((m) => m.headline && m.samples.length > 0);

export function toBencher(file: ResultFile): BencherMetricFormat {
  const out: BencherMetricFormat = {};
  for (const m of headline(file)) {
    out[m.name] = {
      [measureSlug(m.unit)]: {
        value: median(m.samples),
        lower_value: Math.min(...m.samples),
        upper_value: Math.max(...m.samples),
      },
    };
  }
  return out;
}

function entry(m: Metric, file: ResultFile): ActionBenchmarkEntry {
  const low = Math.min(...m.samples);
  const high = Math.max(...m.samples);
  return {
    name: m.name,
    unit: m.unit,
    value: median(m.samples),
    range: `± ${Number(((high - low) / 2).toPrecision(3))}`,
    extra: `median of ${m.samples.length} repetitions (${m.samples.map((x) => Number(x.toPrecision(4))).join(', ')}); commit ${file.git_commit.slice(0, 10)}`,
  };
}

export function toActionBenchmark(file: ResultFile): {
  customBiggerIsBetter: ActionBenchmarkEntry[];
  customSmallerIsBetter: ActionBenchmarkEntry[];
} {
  const metrics = headline(file);
  return {
    customBiggerIsBetter: metrics.filter((m) => m.higherIsBetter).map((m) => entry(m, file)),
    customSmallerIsBetter: metrics.filter((m) => !m.higherIsBetter).map((m) => entry(m, file)),
  };
}
