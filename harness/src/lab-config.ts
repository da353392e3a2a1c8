// The parameters of one lab run (from the CLI): which workloads, how long, how many repetitions, which CPUs.
export interface LabConfig {
  root: string;
  quick: boolean;
  only: string[] | null; // workload names (runners/registry.ts); null: every workload
  out: string;
  repetitions: number; // >= 3 (schema: samples per measurement)
  warmupS: number;
  durationS: number; // per repetition, per measured point
  serverCpus: string; // taskset list for servers / measured programs
  loadCpus: string; // taskset list for load generators
  workDir: string; // temporary files (certificates, dnsmasq config, file-io data)
  abRev: string | null; // --ab REV: also measure the runtime built at REV, interleaved with this build
  abCorojs?: string; // that build's binary, once built
  fiberBackends?: string[] | null; // --fiber-backends: the CoroJS backends to measure (null: all)
  targets?: string[] | null; // --targets: the runtimes to measure (null: every one installed)
}

// A target is wanted when --targets names it, or, without --targets, when it is installed.
export function targetWanted(config: Pick<LabConfig, 'targets'>, runtime: string): boolean {
  return !config.targets || config.targets.includes(runtime);
}

export function selected(config: LabConfig, name: string): boolean {
  return config.only === null || config.only.includes(name);
}
