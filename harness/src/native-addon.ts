// Typed access to the lab's N-API addon (build/native/Release/corojs_lab.node), or null if it is not built.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NativeLoadOptions {
  host: string;
  port: number;
  protocol: 'echo' | 'http';
  tls: boolean;
  caPem: string;
  servernames: string[];
  handshake: boolean;
  connections: number;
  messageSize: number;
  warmupS: number;
  durationS: number;
  drainS: number;
  open: boolean;
  ratePerS: number;
  serverPid: number;
}

export interface NativeLoadResult {
  completed: number;
  errors: number;
  mismatches: number;
  firstError: string;
  scheduled: number;
  unsent: number;
  elapsedS: number;
  cpuS: number;
  serverCpuS: number; // -1 when not read
  correctedNs: Float64Array;
  uncorrectedNs: Float64Array;
  lagNs: Float64Array;
}

export interface NativeAddon {
  rawUcontextSwitchNs(roundTrips: number): number;
  rawFcontextSwitchNs(roundTrips: number): number;
  threadHandoffSwitchNs(roundTrips: number, cpu: number): number;
  runLoad(options: NativeLoadOptions): NativeLoadResult;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const ADDON_PATH = path.join(root, 'build/native/Release/corojs_lab.node');

let cached: NativeAddon | null | undefined;

export function loadNativeAddon(): NativeAddon | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (existsSync(ADDON_PATH)) {
    try {
      cached = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
    } catch {
      cached = null;
    }
  }
  return cached;
}
