// A process's CPU time and RSS from /proc: sampled while it is measured, or read once (Linux only).
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

export interface ProcSnapshot {
  cpuTicks: number; // utime + stime
  rssBytes: number;
}

// Fields after the parenthesised command name: state is index 0, so utime (field 14) is index 11.
export function parseProcStat(stat: string, pageSize = 4096): ProcSnapshot {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { cpuTicks: Number(rest[11]) + Number(rest[12]), rssBytes: Number(rest[21]) * pageSize };
}

export function readProcSnapshot(pid: number): ProcSnapshot | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

export interface ProcUsage {
  cpuPct: number; // of one CPU, over the window
  maxRssBytes: number;
}

// Samples every `intervalMs` until stop(); stop() returns CPU% over the whole window and the peak RSS.
export function startProcSampler(pid: number, intervalMs = 200): { stop(): ProcUsage } {
  const first = readProcSnapshot(pid);
  const startedAt = performance.now();
  let last = first;
  let maxRss = first?.rssBytes ?? 0;
  const timer = setInterval(() => {
    const snap = readProcSnapshot(pid);
    if (!snap) return;
    last = snap;
    maxRss = Math.max(maxRss, snap.rssBytes);
  }, intervalMs);
  return {
    stop(): ProcUsage {
      clearInterval(timer);
      const end = readProcSnapshot(pid) ?? last;
      const seconds = (performance.now() - startedAt) / 1000;
      if (!first || !end || seconds <= 0) return { cpuPct: 0, maxRssBytes: maxRss };
      maxRss = Math.max(maxRss, end.rssBytes);
      const cpuPct = ((end.cpuTicks - first.cpuTicks) / CLOCK_TICKS_PER_S / seconds) * 100;
      return { cpuPct: Math.round(cpuPct * 10) / 10, maxRssBytes: maxRss };
    },
  };
}

// Bytes per unit from two RSS readings; 0 when nothing was counted. Rounded to whole bytes (may be negative:
// the allocator can give memory back between the readings, which the result should show, not hide).
export function perUnitBytes(beforeBytes: number, afterBytes: number, units: number): number {
  if (!(units > 0) || !Number.isFinite(beforeBytes) || !Number.isFinite(afterBytes)) return 0;
  return Math.round((afterBytes - beforeBytes) / units);
}

// VmRSS of a live process in bytes (/proc/<pid>/status), or null once it has gone.
export function parseVmRss(status: string): number | null {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

export function readVmRss(pid: number): number | null {
  try {
    return parseVmRss(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}
