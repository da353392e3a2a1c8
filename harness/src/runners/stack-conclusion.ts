// Whether the stack sweep supports CoroJS's fixed 1 MiB fiber stack, derived from the measured points only.
import type { StackSweepPoint } from '../results/schema.js';

export const FIXED_STACK_BYTES = 1024 * 1024;
// The recursion requirement when Node's own depth cannot be measured in the run (stack-sweep.ts measures it:
// Node 20 on its default ~984 KiB main stack, the same trivial function): a fiber must recurse about as deep
// as code written for Node expects; 10,000 frames is below what Node allows (~11k-14k).
export const REQUIRED_RECURSION_DEPTH = 10000;
// RSS per fiber "grows with the reserved size" when the largest stack costs this much more than the smallest.
const GROWTH_BYTES = 4096;
const GROWTH_RATIO = 1.25;

export type SweepPoint = Pick<
  StackSweepPoint,
  'stack_size_bytes' | 'max_recursion_depth' | 'tls_handshake_ok' | 'cold_fiber_ok' | 'rss_per_fiber_bytes'
>;

const kib = (bytes: number): string => (bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`);
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

// What a point fails of the requirements (empty: it passes).
export function failedRequirements(point: SweepPoint, requiredDepth = REQUIRED_RECURSION_DEPTH): string[] {
  const failed: string[] = [];
  if (!point.tls_handshake_ok) failed.push('TLS handshake in a fiber failed');
  if (point.cold_fiber_ok === false) failed.push('cold (not yet compiled) code cannot run in a fiber');
  if (point.max_recursion_depth < requiredDepth)
    failed.push(`recursion ${point.max_recursion_depth} < ${requiredDepth}`);
  return failed;
}

export interface StackVerdict {
  supported: boolean | null; // null: no data
  smallestPassingBytes: number | null;
  rssGrows: boolean | null;
  text: string;
}

export function rssGrowsWithReservedSize(points: readonly SweepPoint[]): boolean | null {
  const measured = points
    .filter((p) => p.rss_per_fiber_bytes > 0)
    .sort((a, b) => a.stack_size_bytes - b.stack_size_bytes);
  if (measured.length < 2) return null;
  const small = measured[0]!.rss_per_fiber_bytes;
  const large = measured[measured.length - 1]!.rss_per_fiber_bytes;
  return large - small > GROWTH_BYTES && large > small * GROWTH_RATIO;
}

export function stackVerdict(
  points: readonly SweepPoint[],
  requiredDepth = REQUIRED_RECURSION_DEPTH,
  fixed = FIXED_STACK_BYTES,
): StackVerdict {
  const sorted = [...points].sort((a, b) => a.stack_size_bytes - b.stack_size_bytes);
  if (!sorted.length)
    return { supported: null, smallestPassingBytes: null, rssGrows: null, text: 'no stack sweep data' };
  const smallest = sorted.find((p) => failedRequirements(p, requiredDepth).length === 0) ?? null;
  const atFixed = sorted.find((p) => p.stack_size_bytes === fixed);
  const rssGrows = rssGrowsWithReservedSize(sorted);
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const rssText =
    rssGrows === null
      ? 'RSS per fiber not measured'
      : `RSS per idle fiber ${rssGrows ? 'grows' : 'does not grow'} with the reserved size (${kb(first.rss_per_fiber_bytes)} at ${kib(first.stack_size_bytes)}, ${kb(last.rss_per_fiber_bytes)} at ${kib(last.stack_size_bytes)})`;
  const requirement = `a TLS handshake in a fiber, cold code compiling in a fiber and recursion >= ${requiredDepth.toLocaleString('en-US')} frames`;
  const smallestFails = failedRequirements(first, requiredDepth);
  const below = smallestFails.length ? `; at ${kib(first.stack_size_bytes)}: ${smallestFails.join(', ')}` : '';
  if (!atFixed) {
    return {
      supported: null,
      smallestPassingBytes: smallest?.stack_size_bytes ?? null,
      rssGrows,
      text: `${kib(fixed)} was not measured; smallest size meeting ${requirement}: ${smallest ? kib(smallest.stack_size_bytes) : 'none'}; ${rssText}`,
    };
  }
  const fixedFails = failedRequirements(atFixed, requiredDepth);
  if (fixedFails.length) {
    return {
      supported: false,
      smallestPassingBytes: smallest?.stack_size_bytes ?? null,
      rssGrows,
      text: `not supported: ${kib(fixed)} fails ${fixedFails.join(', ')}; smallest size meeting ${requirement}: ${smallest ? kib(smallest.stack_size_bytes) : 'none tested'}; ${rssText}`,
    };
  }
  const depth = `${atFixed.max_recursion_depth.toLocaleString('en-US')} frames at ${kib(fixed)}`;
  if (smallest!.stack_size_bytes === fixed) {
    return {
      supported: true,
      smallestPassingBytes: fixed,
      rssGrows,
      text: `supported: ${kib(fixed)} is the smallest tested size meeting ${requirement} (${depth})${below}; ${rssText}${rssGrows ? '' : ', so larger stacks cost address space, not memory'}`,
    };
  }
  // 1 MiB passes but a smaller size does too: it is still justified if memory does not depend on the size.
  const smaller = kib(smallest!.stack_size_bytes);
  return rssGrows
    ? {
        supported: false,
        smallestPassingBytes: smallest!.stack_size_bytes,
        rssGrows,
        text: `not supported as the minimum: ${smaller} already meets ${requirement} and ${rssText}, so a smaller stack would save memory (${depth})`,
      }
    : {
        supported: true,
        smallestPassingBytes: smallest!.stack_size_bytes,
        rssGrows,
        text: `supported with headroom: ${smaller} already meets ${requirement}, but ${rssText}, so ${kib(fixed)} costs only address space and buys recursion depth (${depth})${below}`,
      };
}
